//! Python bindings: `pith.Cleaner` over the same engine, the same rule
//! loading and the same JSON serialiser as the `pith` command, so
//! `Cleaner.clean(text)` is the record `pith --output jsonl` prints for that
//! text, key for key and value for value.
//!
//! Texts are read without copying while the GIL is held; cleaning and JSON
//! serialisation run with the GIL released (on a rayon pool for
//! `clean_many`); the JSON is turned into Python objects by `json.loads`,
//! which is what makes the dicts identical to the CLI's records.

use std::borrow::Cow;
use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use rayon::prelude::*;

use pith::input::RecordError;
use pith::{Flag, RuleSet};

create_exception!(
    pith,
    RuleError,
    PyValueError,
    "A rule file, a rule or a `disable` pattern is wrong. The message is the \
     command line's: it names the file, the rule and what to fix."
);
create_exception!(
    pith,
    CleanError,
    PyRuntimeError,
    "Cleaning a document failed: a bug in pith, never a property of the input. \
     The message names the document."
);

/// A reusable, thread-safe article cleaner (see the module's `.pyi` stub).
#[pyclass(frozen, module = "pith")]
struct Cleaner {
    inner: pith::Cleaner,
    /// The constructor's arguments, for `repr` and pickling.
    args: Py<PyTuple>,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (rules=None, disable=None, default_rules=true, mode="auto"))]
    fn new(
        py: Python<'_>,
        rules: Option<Bound<'_, PyAny>>,
        disable: Option<Bound<'_, PyAny>>,
        default_rules: bool,
        mode: &str,
    ) -> PyResult<Self> {
        let chosen = match mode {
            "auto" => pith::Mode::Auto,
            "page" => pith::Mode::Page,
            "article" => pith::Mode::Article,
            other => {
                return Err(PyValueError::new_err(format!(
                    "mode must be 'auto', 'page' or 'article', not {other:?}"
                )));
            }
        };
        let paths: Vec<PathBuf> =
            one_or_many(rules.as_ref(), "rules", "a path or a list of paths")?;
        let patterns: Vec<String> = one_or_many(
            disable.as_ref(),
            "disable",
            "a rule id or glob, or a list of them",
        )?;
        let inner = py
            .detach(|| {
                RuleSet::load(&paths, default_rules, &patterns)
                    .map_err(pith::CleanerError::from)
                    .and_then(pith::Cleaner::new)
            })
            .map_err(|e| RuleError::new_err(cleaner_message(&e)))?
            .with_mode(chosen);
        let args = PyTuple::new(
            py,
            [
                rules.into_pyobject(py)?,
                disable.into_pyobject(py)?,
                default_rules.into_pyobject(py)?.to_owned().into_any(),
                mode.into_pyobject(py)?.into_any(),
            ],
        )?
        .unbind();
        Ok(Cleaner { inner, args })
    }

    /// Cleans one article: the record `pith --output jsonl` prints, as a dict.
    #[pyo3(signature = (text, id=None))]
    fn clean<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        id: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = self.clean_json(py, text, id)?;
        json_loads(py, &json)
    }

    /// Cleans one article: the JSON line `pith --output jsonl` prints.
    #[pyo3(signature = (text, id=None))]
    fn clean_json(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        id: Option<&str>,
    ) -> PyResult<String> {
        let doc = Doc::extract(text)?;
        py.detach(|| doc.to_json(&self.inner, id))
            .map_err(|e| CleanError::new_err(e.to_string()))
    }

    /// Cleans many articles in parallel, with the GIL released; the records
    /// come back in input order.
    #[pyo3(signature = (texts, threads=None, *, ids=None))]
    fn clean_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
        ids: Option<Vec<Option<String>>>,
    ) -> PyResult<Bound<'py, PyList>> {
        if texts.is_instance_of::<PyString>() || texts.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err(
                "texts must be an iterable of texts, not one text: use clean() for a single article",
            ));
        }
        let items = texts.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        let docs = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Doc::extract(item).map_err(|e| {
                    if e.is_instance_of::<PyTypeError>(py) {
                        PyTypeError::new_err(format!("texts[{i}]: {}", e.value(py)))
                    } else {
                        e
                    }
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let ids = ids.unwrap_or_else(|| vec![None; docs.len()]);
        if ids.len() != docs.len() {
            return Err(PyValueError::new_err(format!(
                "ids has {} entries for {} texts",
                ids.len(),
                docs.len()
            )));
        }
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        let records = py.detach(|| {
            in_order(&docs, threads, |i, doc| {
                doc.to_json(&self.inner, ids.get(i).and_then(Option::as_deref))
            })
        })?;
        let list = PyList::empty(py);
        for (i, record) in records.into_iter().enumerate() {
            let json = record.map_err(|e| CleanError::new_err(format!("texts[{i}]: {e}")))?;
            list.append(json_loads(py, &json)?)?;
        }
        Ok(list)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let args = self.args.bind(py);
        Ok(format!(
            "Cleaner(rules={}, disable={}, default_rules={}, mode={})",
            args.get_item(0)?.repr()?,
            args.get_item(1)?.repr()?,
            args.get_item(2)?.repr()?,
            args.get_item(3)?.repr()?,
        ))
    }

    /// Pickles as the constructor's arguments: unpickling rebuilds the
    /// cleaner (reading rule files again), as Spark, datatrove and
    /// multiprocessing do when they ship a cleaner to a worker.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyAny>, Bound<'py, PyTuple>) {
        let py = slf.py();
        (slf.get_type().into_any(), slf.get().args.bind(py).clone())
    }
}

/// The message of an error building a cleaner, worded as the command
/// words it (`--disable PATTERN: ...`), so that both say the same.
fn cleaner_message(error: &pith::CleanerError) -> String {
    match error {
        pith::CleanerError::Rules(pith::RuleError::UnknownDisable(unknown)) => format!(
            "--disable {}: {unknown} (see `pith rules list`)",
            unknown.pattern
        ),
        _ => error.to_string(),
    }
}

/// Extracts `None` as nothing, one `T` as a list of one, or a list of `T`.
fn one_or_many<'py, T: FromPyObjectOwned<'py>>(
    value: Option<&Bound<'py, PyAny>>,
    name: &str,
    expected: &str,
) -> PyResult<Vec<T>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if let Ok(one) = value.extract::<T>() {
        return Ok(vec![one]);
    }
    value.extract::<Vec<T>>().map_err(|_| {
        let type_name = value
            .get_type()
            .name()
            .map_or_else(|_| "?".into(), |n| n.to_string());
        PyTypeError::new_err(format!("{name} must be {expected}, not {type_name}"))
    })
}

/// One article's text as the engine takes it, decoded as the command line
/// decodes its input: invalid UTF-8 in bytes, and unpaired surrogates in a
/// str, become U+FFFD and the record is flagged `invalid_utf8`.
struct Doc<'a> {
    text: Cow<'a, str>,
    invalid: bool,
}

impl<'a> Doc<'a> {
    fn extract(value: &'a Bound<'_, PyAny>) -> PyResult<Doc<'a>> {
        if let Ok(s) = value.cast::<PyString>() {
            return Ok(match s.to_str() {
                Ok(text) => Doc {
                    text: Cow::Borrowed(text),
                    invalid: false,
                },
                Err(_) => Doc {
                    text: Cow::Owned(replace_surrogates(s)?),
                    invalid: true,
                },
            });
        }
        if let Ok(bytes) = value.cast::<PyBytes>() {
            let (text, invalid) = pith::input::decode(bytes.as_bytes(), false)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            return Ok(Doc { text, invalid });
        }
        let type_name = value.get_type().name()?;
        Err(PyTypeError::new_err(format!(
            "text must be str or bytes, not {type_name}"
        )))
    }

    /// Cleans the text: the CLI's JSON record for it.
    fn to_json(&self, cleaner: &pith::Cleaner, id: Option<&str>) -> Result<String, RecordError> {
        let mut cleaned = cleaner.clean_guarded(&self.text, None)?;
        if self.invalid {
            cleaned.flags.push(Flag::InvalidUtf8);
        }
        Ok(pith::output::to_json(
            &cleaned,
            id,
            false,
            &pith::output::OutputKeys::all(),
            pith::input::input_flags(&self.text),
        ))
    }
}

/// The text of a str holding unpaired surrogates (which UTF-8 cannot
/// encode), each replaced by one U+FFFD.
fn replace_surrogates(s: &Bound<'_, PyString>) -> PyResult<String> {
    let encoded = s.call_method1("encode", ("utf-16-le", "surrogatepass"))?;
    let bytes = encoded.cast::<PyBytes>()?.as_bytes();
    let units = bytes
        .as_chunks::<2>()
        .0
        .iter()
        .map(|&pair| u16::from_le_bytes(pair));
    Ok(char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect())
}

/// Maps `f` over `docs` on `threads` threads, results in input order.
fn in_order<R: Send>(
    docs: &[Doc],
    threads: usize,
    f: impl Fn(usize, &Doc) -> R + Sync,
) -> PyResult<Vec<R>> {
    let threads = threads.min(docs.len());
    if threads <= 1 {
        return Ok(docs.iter().enumerate().map(|(i, d)| f(i, d)).collect());
    }
    // A pool per call rather than rayon's global one: a global pool does not
    // survive fork(), which datatrove and multiprocessing use.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {threads} threads: {e}")))?;
    Ok(pool.install(|| docs.par_iter().enumerate().map(|(i, d)| f(i, d)).collect()))
}

/// `json.loads(json)`.
fn json_loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
        })?
        .bind(py)
        .call1((json,))
}

/// The compiled part of the `pith` Python package.
#[pymodule]
fn _pith(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Cleaner>()?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("CleanError", py.get_type::<CleanError>())?;
    Ok(())
}
