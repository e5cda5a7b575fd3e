//! Body detection on small pages written for the purpose: each heuristic of
//! `src/heuristics.rs` (gate, region choice, extension, barriers, tag clouds,
//! repeats, fallback) and the page-level metadata, in several scripts.

use pith::{Cleaned, Cleaner, Flag, RuleSet};

fn builtin() -> Cleaner {
    Cleaner::builtin().expect("built-in rules load")
}

/// A cleaner with no rules: only the structural passes and body detection.
fn shape_only() -> Cleaner {
    Cleaner::new(RuleSet::empty()).expect("empty rule set builds")
}

const MENU: &[&str] = &[
    "Home", "News", "World", "Politics", "Business", "Tech", "Science", "Health", "Sports", "Arts",
    "Books", "Style", "Food", "Travel", "Magazine", "Video", "Podcasts", "Opinion",
];

const ARTICLE: &[&str] = &[
    "The city council voted on Tuesday to expand the bus network to the northern suburbs, ending a debate that had lasted more than two years.",
    "Supporters said the new lines would cut commuting times in half for thousands of residents who now depend on cars.",
    "Opponents warned that the cost, estimated at 40 million dollars, would force cuts to road maintenance elsewhere in the city.",
    "The first of the new routes is expected to open next spring, the transport department said in a statement.",
];

/// A page: menus, the headline, the article, more menus. Lines are blocks.
fn page(article: &[&str], after: &[&str]) -> String {
    let mut lines: Vec<&str> = vec!["Council Votes to Expand Bus Network | The Daily Example"];
    lines.extend(MENU);
    lines.push("Council Votes to Expand Bus Network");
    lines.extend(article);
    lines.extend(after);
    lines.extend(MENU.iter().rev());
    lines.join("\n\n")
}

fn ids(cleaned: &Cleaned) -> Vec<&str> {
    cleaned.removed.iter().map(|r| r.rule.as_str()).collect()
}

#[test]
fn article_text_is_not_treated_as_a_page() {
    let text = ARTICLE.join("\n\n");
    let cleaned = builtin().clean(&text);
    assert_eq!(cleaned.text, text);
    assert!(cleaned.removed.is_empty());
}

#[test]
fn menus_around_the_article_are_removed() {
    let cleaned = shape_only().clean(&page(ARTICLE, &[]));
    assert_eq!(cleaned.text, ARTICLE.join("\n\n"));
    assert!(ids(&cleaned).contains(&"body.menu"), "{:?}", ids(&cleaned));
}

#[test]
fn the_page_title_gives_title_and_source_and_the_repeat_goes() {
    let cleaned = builtin().clean(&page(ARTICLE, &[]));
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Council Votes to Expand Bus Network")
    );
    assert_eq!(cleaned.source.as_deref(), Some("The Daily Example"));
    assert!(!cleaned.text.contains("Council Votes"), "{}", cleaned.text);
    assert!(
        ids(&cleaned).contains(&"structure.title"),
        "the site name is a trim: {:?}",
        ids(&cleaned)
    );
}

#[test]
fn the_earliest_strong_region_beats_a_longer_comment_thread() {
    let comments: Vec<String> = (0..12)
        .map(|i| format!("Commenter {i} wrote that the plan was a waste of money and that nobody in the northern suburbs had asked for more buses, least of all the drivers who would have to run them."))
        .collect();
    let mut after: Vec<&str> = vec!["Reader comments", "Sort by", "Newest", "Oldest"];
    after.extend(comments.iter().map(String::as_str));
    let cleaned = shape_only().clean(&page(ARTICLE, &after));
    assert!(cleaned.text.starts_with(ARTICLE[0]), "{}", cleaned.text);
    assert!(!cleaned.text.contains("Commenter"), "{}", cleaned.text);
}

#[test]
fn a_list_inside_the_article_is_kept_until_a_run_of_fragments() {
    let mut article: Vec<&str> = ARTICLE[..2].to_vec();
    article.extend([
        "1) Route 12 to Northgate",
        "2) Route 14 to the airport",
        "3) Route 15 to the university",
        "4) Route 16 to the harbour",
    ]);
    article.extend(&ARTICLE[2..]);
    let cleaned = shape_only().clean(&page(&article, &[]));
    assert!(
        cleaned.text.contains("3) Route 15 to the university"),
        "{}",
        cleaned.text
    );
    assert!(cleaned.text.contains(ARTICLE[3]));
    assert!(!cleaned.text.contains("Podcasts"));
}

#[test]
fn a_tag_cloud_is_removed_as_such() {
    let cloud = "buses trains trams council budget suburbs northgate airport harbour university transport department roads maintenance commuters drivers routes tickets fares timetable";
    let cleaned = shape_only().clean(&page(ARTICLE, &["Tags", cloud]));
    assert!(!cleaned.text.contains("timetable"));
    assert!(ids(&cleaned).contains(&"body.cloud"), "{:?}", ids(&cleaned));
}

#[test]
fn a_section_heading_before_the_article_does_not_cut_it() {
    // "Most Popular" in the header is a menu item, not the end of the article.
    let mut lines = vec!["Most Popular"];
    lines.extend(MENU);
    let text = format!("{}\n\n{}", lines.join("\n\n"), page(ARTICLE, &[]));
    let cleaned = builtin().clean(&text);
    assert!(cleaned.text.contains(ARTICLE[3]), "{}", cleaned.text);
}

#[test]
fn a_second_copy_of_the_article_does_not_stretch_the_body() {
    let copy = ARTICLE.join(" ");
    let mut after: Vec<&str> = vec![
        "2019-11-19T08:57:40+01:00",
        "500",
        "250",
        "ExampleSite",
        "Share",
        "Print",
    ];
    after.push(&copy);
    let cleaned = shape_only().clean(&page(ARTICLE, &after));
    assert_eq!(cleaned.text, ARTICLE.join("\n\n"));
}

#[test]
fn when_little_would_be_left_the_best_region_is_kept() {
    // The earliest strong region (one short sentence) is chosen as the body,
    // but it leaves fewer words than min_kept_words: the best-scoring region
    // (a longer sentence further down) is given back, and the record flagged.
    // 14 words (score 7) and 20 words (score 13): the first is chosen, as
    // it scores at least earliest_share (0.4) of the best.
    let early = "The bus network grows by four new routes next spring, the council said Tuesday.";
    let best = "Officials said the four new routes would reach the airport, the harbour and the university before the end of 2021.";
    let mut lines: Vec<&str> = MENU.to_vec();
    lines.push(early);
    lines.extend(MENU);
    lines.push(best);
    lines.extend(MENU);
    let cleaned = shape_only().clean(&lines.join("\n\n"));
    assert!(
        cleaned.flags.contains(&Flag::BodyFallback),
        "{:?}",
        cleaned.flags
    );
    assert!(cleaned.text.contains("harbour"), "{}", cleaned.text);
    assert!(!cleaned.text.contains("Podcasts"));
}

#[test]
fn body_detection_can_be_disabled() {
    let mut set = RuleSet::empty();
    set.disable(&["body.*".to_string()]);
    let cleaned = Cleaner::new(set).unwrap().clean(&page(ARTICLE, &[]));
    assert!(cleaned.text.contains("Podcasts"));
}

fn cjk_page(menu: &[&str], article: &[&str]) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for _ in 0..2 {
        lines.extend(menu);
    }
    lines.extend(article);
    lines.extend(menu);
    lines.join("\n\n")
}

#[test]
fn japanese_korean_and_chinese_pages_keep_their_articles() {
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &[
                "ホーム",
                "ニュース",
                "経済",
                "政治",
                "スポーツ",
                "天気",
                "地域",
                "国際",
                "科学",
                "文化",
            ],
            &[
                "東京都は火曜日、北部の郊外へバス路線を拡大する計画を発表しました。議論は二年以上続いていました。",
                "支持者は、新しい路線によって車に頼っている何千人もの住民の通勤時間が半分になると述べました。",
                "反対派は、費用が四千万ドルと見積もられ、市内の道路の維持管理が削られると警告しました。",
            ],
        ),
        (
            &[
                "홈",
                "뉴스",
                "경제",
                "정치",
                "스포츠",
                "날씨",
                "지역",
                "국제",
                "과학",
                "문화",
            ],
            &[
                "서울시는 화요일 북부 교외로 버스 노선을 확대하는 계획을 발표했습니다. 이 논쟁은 2년 넘게 이어졌습니다.",
                "지지자들은 새 노선이 자동차에 의존하는 수천 명의 주민들의 통근 시간을 절반으로 줄일 것이라고 말했습니다.",
                "반대자들은 4천만 달러로 추정되는 비용 때문에 시내 다른 곳의 도로 유지 보수가 줄어들 것이라고 경고했습니다.",
            ],
        ),
        (
            &[
                "首页", "新闻", "经济", "政治", "体育", "天气", "地方", "国际", "科学", "文化",
            ],
            &[
                "市议会星期二投票决定将公交网络扩展到北部郊区，结束了持续两年多的争论。",
                "支持者说，新线路将使数千名依赖汽车的居民的通勤时间减少一半。",
                "反对者警告说，估计四千万美元的费用将迫使市内其他地方削减道路维护开支。",
            ],
        ),
    ];
    for (menu, article) in cases {
        let cleaned = builtin().clean(&cjk_page(menu, article));
        assert!(!cleaned.text.is_empty());
        for paragraph in article {
            assert!(
                cleaned.text.contains(paragraph),
                "lost {paragraph:?} from:\n{}",
                cleaned.text
            );
        }
        // Plain article text in these scripts is left alone.
        let plain = article.join("\n\n");
        assert_eq!(builtin().clean(&plain).text, plain);
    }
}

#[test]
fn category_menus_with_counts_are_menus_in_any_script() {
    // Category and archive widgets end their items with a count in
    // brackets: a closing bracket, but not the end of a sentence.
    let categories: Vec<String> = MENU
        .iter()
        .enumerate()
        .map(|(n, name)| format!("{name} ({})", n + 3))
        .chain((1..=9).map(|m| format!("2019年{m}月 （{m}）")))
        .collect();
    let mut lines: Vec<&str> = vec!["Council Votes to Expand Bus Network"];
    lines.extend(ARTICLE);
    lines.extend(categories.iter().map(String::as_str));
    let cleaned = shape_only().clean(&lines.join("\n\n"));
    assert_eq!(cleaned.text, ARTICLE.join("\n\n"));
    assert!(ids(&cleaned).contains(&"body.menu"), "{:?}", ids(&cleaned));
}
