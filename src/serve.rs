//! `storyline serve`: the HTTP API and the web pages, from one process.
//!
//! Reads go through a small pool of SQLite connections (WAL mode lets them read while
//! an ingest writes); writes (`POST /api/articles`) go through one writer connection,
//! one request at a time. Blocking work runs on tokio's blocking threads. Story pages
//! are synthesised on demand and cached per story version; searches per index
//! generation and last correction. A result made stale by another process's ingest is served while a fresh
//! one is made (see [`AppState::story`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use storyline_search::SearchIndex;
use storyline_store::Store;
use utoipa::OpenApi;

use crate::{explain, ingest, search, story, web};

/// Largest request body accepted (a batch of articles).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Read connections.
const READERS: usize = 4;
/// How often the watcher reads the store's change mark.
const MARK_TTL: Duration = Duration::from_millis(500);

pub struct Config {
    pub addr: SocketAddr,
    pub store: PathBuf,
    /// Bearer token for write endpoints; required when not bound to loopback.
    pub token: Option<String>,
}

/// A cached result: what it was made from, and the server's own-write epoch then.
struct Cached<V, T> {
    version: V,
    epoch: u64,
    value: Arc<T>,
}

type CachedStory = Cached<storyline_store::StoryVersion, story::StoryView>;

/// What a search's results are made from: the index generation, and the store's last
/// correction (a merge beside the server changes the stories the hits resolve to, and
/// neither the index nor its generation).
type SearchVersion = (u64, i64);

/// What a cache holds for a key, at a version and own-write epoch.
enum Lookup<T> {
    /// Made from this version.
    Fresh(Arc<T>),
    /// Made from an older version, after the server's last own write: may be served
    /// while a fresh one is made.
    Stale(Arc<T>),
    Miss,
}

fn lookup<V: PartialEq, T>(
    cache: &Mutex<HashMap<String, Cached<V, T>>>,
    key: &str,
    version: &V,
    epoch: u64,
) -> Lookup<T> {
    let cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    match cache.get(key) {
        Some(c) if c.version == *version => Lookup::Fresh(c.value.clone()),
        Some(c) if c.epoch == epoch => Lookup::Stale(c.value.clone()),
        _ => Lookup::Miss,
    }
}

/// Background refreshes running at once, at most (the rest serve stale and retry).
const MAX_REFRESHES: usize = 2;

pub struct AppState {
    dir: PathBuf,
    readers: Vec<Mutex<Store>>,
    next: std::sync::atomic::AtomicUsize,
    writer: Mutex<Store>,
    index: SearchIndex,
    token: Option<String>,
    /// Story id → synthesised story, by [`storyline_store::StoryVersion`].
    stories: Mutex<HashMap<String, CachedStory>>,
    /// Bumped at every index sync; cached searches of an older generation are stale.
    generation: std::sync::atomic::AtomicU64,
    /// Query → results, by index generation and the store's last correction.
    searches: Mutex<HashMap<String, Cached<SearchVersion, search::SearchView>>>,
    /// Bumped by every write through this server. A stale result from before the last
    /// such write is never served: whoever posted reads their own write.
    own_writes: std::sync::atomic::AtomicU64,
    /// Cache keys being remade in the background.
    refreshing: Mutex<std::collections::HashSet<String>>,
    /// This state, for background refreshes (set once it is in its `Arc`).
    me: std::sync::OnceLock<std::sync::Weak<AppState>>,
}

/// An error as the API returns it: a status and `{"error": "...", "status": N}`.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.1, "status": self.0.as_u16()});
        (self.0, Json(body)).into_response()
    }
}

/// An extractor (`Query`, `Path`) whose rejection (a query string or path segment
/// that cannot be read) answers in the API's JSON error shape, with the rejection's
/// status and text, instead of axum's plain text.
pub struct Api<X>(pub X);

impl<S: Send + Sync, X: axum::extract::FromRequestParts<S>> axum::extract::FromRequestParts<S>
    for Api<X>
where
    X::Rejection: IntoResponse,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        match extract(parts, state).await {
            Ok(x) => Ok(Api(x)),
            Err((status, text)) => Err(ApiError(status, text)),
        }
    }
}

/// Runs an extractor; a rejection comes back as its status and text (axum writes
/// them as a plain-text response), for the API and the pages to answer their way.
pub async fn extract<S: Send + Sync, X: axum::extract::FromRequestParts<S>>(
    parts: &mut axum::http::request::Parts,
    state: &S,
) -> Result<X, (StatusCode, String)>
where
    X::Rejection: IntoResponse,
{
    let rejected = match X::from_request_parts(parts, state).await {
        Ok(x) => return Ok(x),
        Err(r) => r.into_response(),
    };
    let status = rejected.status();
    let body = axum::body::to_bytes(rejected.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    Err((status, String::from_utf8_lossy(&body).into_owned()))
}

async fn method_not_allowed_api() -> ApiError {
    ApiError(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method".into(),
    )
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, msg.into())
}

fn not_found(msg: impl Into<String>) -> ApiError {
    ApiError(StatusCode::NOT_FOUND, msg.into())
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}"))
}

/// Maps store errors: an unknown or ambiguous story is the client's, anything else ours.
fn from_anyhow(e: anyhow::Error) -> ApiError {
    if let Some(se) = e.downcast_ref::<storyline_store::StoreError>() {
        match se {
            storyline_store::StoreError::NoStory(_) => return not_found(se.to_string()),
            storyline_store::StoreError::Ambiguous(..) => return bad(se.to_string()),
            _ => {}
        }
    }
    if let Some(se) = e.downcast_ref::<storyline_search::SearchError>() {
        if matches!(se, storyline_search::SearchError::Query { .. }) {
            return bad(se.to_string());
        }
    }
    internal(e)
}

impl AppState {
    pub fn open(dir: PathBuf, token: Option<String>) -> anyhow::Result<AppState> {
        let writer = Store::open(&dir)?;
        let (index, _) = SearchIndex::open(&dir, &writer)?;
        let readers = (0..READERS)
            .map(|_| Store::open(&dir).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AppState {
            dir,
            readers,
            next: Default::default(),
            writer: Mutex::new(writer),
            index,
            token,
            stories: Mutex::new(HashMap::new()),
            generation: Default::default(),
            searches: Mutex::new(HashMap::new()),
            own_writes: Default::default(),
            refreshing: Mutex::new(Default::default()),
            me: Default::default(),
        })
    }

    /// Runs `f` with a read connection.
    fn read<T>(&self, f: impl FnOnce(&Store) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.readers.len();
        let store = self.readers[i].lock().unwrap_or_else(|p| p.into_inner());
        f(&store)
    }

    /// Watches the store for changes made by other processes (an ingest running beside
    /// the server): every [`MARK_TTL`] it reads the store's mark, and when the search
    /// index is behind, brings it up to date. Requests never wait for this.
    fn watch(state: std::sync::Weak<AppState>, dir: PathBuf) {
        let Ok(conn) = Store::open(&dir) else {
            eprintln!(
                "storyline: cannot open {} to watch for changes",
                dir.display()
            );
            return;
        };
        loop {
            std::thread::sleep(MARK_TTL);
            let Some(s) = state.upgrade() else { return };
            let now = match conn.index_mark() {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("storyline: reading the store's mark: {e}");
                    continue;
                }
            };
            if s.index.store_mark() != Some(now) {
                let synced = s.index.sync(&conn);
                s.index_changed();
                if let Err(e) = synced {
                    eprintln!("storyline: updating the search index: {e}");
                }
            }
        }
    }

    /// A story with its synthesis, from the cache while the story is unchanged (its
    /// [`storyline_store::StoryVersion`] is the same: its event, its links, and for a
    /// German story the store's noun counts). When it has changed since
    /// (an ingest beside the server), the cached page is served while a fresh one is
    /// made in the background (stale-while-revalidate), unless this server wrote since
    /// it was made; a story never seen is made now.
    pub fn story(&self, id: &str) -> anyhow::Result<Arc<story::StoryView>> {
        let (full, version) = self.read(|s| Ok(s.story_version(id)?))?;
        let epoch = self.own_writes.load(std::sync::atomic::Ordering::Acquire);
        let stale = match lookup(&self.stories, &full, &version, epoch) {
            Lookup::Fresh(v) => return Ok(v),
            Lookup::Stale(v) => Some(v),
            Lookup::Miss => None,
        };
        if let Some(view) = stale {
            self.refresh(format!("story:{full}"), move |s| {
                s.make_story(&full, version, epoch).map(|_| ())
            });
            return Ok(view);
        }
        self.make_story(&full, version, epoch)
    }

    fn make_story(
        &self,
        full: &str,
        version: storyline_store::StoryVersion,
        epoch: u64,
    ) -> anyhow::Result<Arc<story::StoryView>> {
        // The store is read under a reader connection; the synthesis runs without one,
        // so that slow syntheses do not hold up the cached pages' version checks.
        let input = self.read(|s| story::read(s, full))?;
        let view = Arc::new(story::make(input));
        let mut cache = self.stories.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(
            full.to_string(),
            Cached {
                version,
                epoch,
                value: view.clone(),
            },
        );
        Ok(view)
    }

    /// Runs a search, from the cache when the same query already ran on the same
    /// [`SearchVersion`]; after the index or the corrections moved on, the cached
    /// results are served while the search runs again in the background (as for
    /// stories).
    pub fn search(&self, q: &storyline_search::Query) -> anyhow::Result<Arc<search::SearchView>> {
        let version = (
            self.generation.load(std::sync::atomic::Ordering::Acquire),
            self.read(|s| Ok(s.last_correction()?))?,
        );
        let epoch = self.own_writes.load(std::sync::atomic::Ordering::Acquire);
        let key = format!("{q:?}");
        let stale = match lookup(&self.searches, &key, &version, epoch) {
            Lookup::Fresh(v) => return Ok(v),
            Lookup::Stale(v) => Some(v),
            Lookup::Miss => None,
        };
        if let Some(v) = stale {
            let q = q.clone();
            self.refresh(format!("search:{key}"), move |s| {
                s.make_search(&q, key, version, epoch).map(|_| ())
            });
            return Ok(v);
        }
        self.make_search(q, key, version, epoch)
    }

    fn make_search(
        &self,
        q: &storyline_search::Query,
        key: String,
        version: SearchVersion,
        epoch: u64,
    ) -> anyhow::Result<Arc<search::SearchView>> {
        let v = Arc::new(self.read(|s| search::run(&self.index, s, q))?);
        let mut cache = self.searches.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(
            key,
            Cached {
                version,
                epoch,
                value: v.clone(),
            },
        );
        Ok(v)
    }

    /// Remakes a cached result on a background thread, once per key at a time and at
    /// most [`MAX_REFRESHES`] at once; a refresh not started now is retried by the next
    /// request that finds the result stale.
    fn refresh(
        &self,
        key: String,
        f: impl FnOnce(&AppState) -> anyhow::Result<()> + Send + 'static,
    ) {
        let Some(me) = self.me.get().and_then(std::sync::Weak::upgrade) else {
            return;
        };
        {
            let mut running = self.refreshing.lock().unwrap_or_else(|p| p.into_inner());
            if running.len() >= MAX_REFRESHES || !running.insert(key.clone()) {
                return;
            }
        }
        std::thread::spawn(move || {
            if let Err(e) = f(&me) {
                eprintln!("storyline: refreshing {key}: {e:#}");
            }
            me.refreshing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&key);
        });
    }

    /// After a write through this server: nothing cached before it is served stale.
    fn own_write(&self) {
        self.own_writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// After the index changed: cached searches are stale.
    fn index_changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    pub fn story_list(
        &self,
        p: &ListParams,
    ) -> anyhow::Result<Vec<storyline_store::StoryListItem>> {
        let limit = p.limit.unwrap_or(50).min(500);
        let offset = p.offset.unwrap_or(0);
        let biggest = match p.sort.as_deref() {
            None | Some("newest") => false,
            Some("biggest") => true,
            Some(other) => anyhow::bail!(ClientError::Bad(format!(
                "sort must be newest or biggest, not {other:?}"
            ))),
        };
        if p.entity.is_some() || p.outlet.is_some() {
            let r = self.search(&storyline_search::Query {
                entity: p.entity.clone(),
                outlet: p.outlet.clone(),
                limit: limit + offset,
                ..Default::default()
            })?;
            let ids: Vec<String> = r
                .stories
                .iter()
                .skip(offset)
                .map(|s| s.id.clone())
                .collect();
            let mut items = self.read(|s| Ok(s.story_items(&ids)?))?;
            if biggest {
                items.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.id.cmp(&b.id)));
            } else {
                items.sort_by(|a, b| b.last_ts.cmp(&a.last_ts).then_with(|| a.id.cmp(&b.id)));
            }
            return Ok(items);
        }
        self.read(|s| Ok(s.story_list(biggest, limit, offset)?))
    }
}

/// A client's mistake found deep in a call: a 400 or a 404, with its message.
#[derive(Debug)]
enum ClientError {
    Bad(String),
    NotFound(String),
}
impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Bad(m) | ClientError::NotFound(m) => f.write_str(m),
        }
    }
}
impl std::error::Error for ClientError {}

fn classify(e: anyhow::Error) -> ApiError {
    match e.downcast::<ClientError>() {
        Ok(ClientError::Bad(m)) => bad(m),
        Ok(ClientError::NotFound(m)) => not_found(m),
        Err(e) => from_anyhow(e),
    }
}

type Shared = Arc<AppState>;

/// Runs blocking work off the async threads.
async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let s = state.clone();
    tokio::task::spawn_blocking(move || f(&s))
        .await
        .map_err(internal)?
        .map_err(classify)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// `newest` (default: by last article) or `biggest` (most articles).
    pub sort: Option<String>,
    /// Only stories with an article naming this entity.
    pub entity: Option<String>,
    /// Only stories with an article from this outlet.
    pub outlet: Option<String>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// The query: words, "phrases", +required, -excluded, title:word.
    pub q: Option<String>,
    /// Published on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Published on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub entity: Option<String>,
    /// Articles and stories to return (default 10, at most 200).
    pub limit: Option<usize>,
}

impl SearchParams {
    pub fn query(&self) -> anyhow::Result<storyline_search::Query> {
        let day = |d: &Option<String>, end: bool| {
            d.as_deref()
                .filter(|d| !d.is_empty())
                .map(|d| search::day_bound(d, end).map_err(|e| ClientError::Bad(format!("{e:#}"))))
                .transpose()
        };
        Ok(storyline_search::Query {
            text: self.q.clone().unwrap_or_default(),
            from: day(&self.from, false)?,
            to: day(&self.to, true)?,
            outlet: self.outlet.clone(),
            lang: self.lang.clone(),
            entity: self.entity.clone(),
            limit: self.limit.unwrap_or(10).clamp(1, 200),
        })
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExplainParams {
    /// A story to explain against (default: the article's own).
    pub story: Option<String>,
}

#[utoipa::path(get, path = "/api/stories", params(ListParams),
    responses((status = 200, description = "Stories: id, headline, first_ts, last_ts, articles", body = Object),
              (status = 400, description = "A bad parameter", body = Object)))]
async fn api_stories(
    State(s): State<Shared>,
    Api(Query(p)): Api<Query<ListParams>>,
) -> Result<impl IntoResponse, ApiError> {
    let list = blocking(&s, move |s| s.story_list(&p)).await?;
    Ok(Json(list))
}

#[utoipa::path(get, path = "/api/stories/{id}",
    params(("id" = String, Path, description = "Story id or a unique prefix")),
    responses((status = 200, description = "The story with its synthesis (see README: JSON shapes)", body = Object),
              (status = 400, description = "An id prefix more than one story has, or an id that cannot be read", body = Object),
              (status = 404, description = "No such story", body = Object)))]
async fn api_story(
    State(s): State<Shared>,
    Api(Path(id)): Api<Path<String>>,
) -> Result<Response, ApiError> {
    let v = blocking(&s, move |s| s.story(&id)).await?;
    Ok(Json(&*v).into_response())
}

#[utoipa::path(get, path = "/api/articles/{id}",
    params(("id" = String, Path, description = "Article id")),
    responses((status = 200, description = "The article's fields and text", body = Object),
              (status = 404, description = "No such article", body = Object)))]
async fn api_article(
    State(s): State<Shared>,
    Api(Path(id)): Api<Path<String>>,
) -> Result<Response, ApiError> {
    let id2 = id.clone();
    let found = blocking(&s, move |s| s.read(|st| Ok(st.article(&id2)?))).await?;
    match found {
        Some((row, text)) => {
            let mut v = serde_json::to_value(&row).map_err(internal)?;
            v["story"] = row.event_id.clone().into();
            v["text"] = text.into();
            Ok(Json(v).into_response())
        }
        None => Err(not_found(format!("no article with id {id:?}"))),
    }
}

#[utoipa::path(get, path = "/api/search", params(SearchParams),
    responses((status = 200, description = "Matching stories (best first) and articles", body = Object),
              (status = 400, description = "A query that cannot be read, or a bad date", body = Object)))]
async fn api_search(
    State(s): State<Shared>,
    Api(Query(p)): Api<Query<SearchParams>>,
) -> Result<Response, ApiError> {
    let v = blocking(&s, move |s| {
        let q = p.query()?;
        s.search(&q)
    })
    .await?;
    Ok(Json(v).into_response())
}

#[utoipa::path(get, path = "/api/duplicates",
    responses((status = 200, description = "Each original with its copies", body = Object)))]
async fn api_duplicates(State(s): State<Shared>) -> Result<Response, ApiError> {
    let v = blocking(&s, |s| s.read(|st| Ok(st.duplicate_groups()?))).await?;
    Ok(Json(v).into_response())
}

#[utoipa::path(get, path = "/api/explain/{article}", params(("article" = String, Path, description = "Article id"), ExplainParams),
    responses((status = 200, description = "Candidate stories and scores", body = Object),
              (status = 404, description = "No such article or story", body = Object)))]
async fn api_explain(
    State(s): State<Shared>,
    Api(Path(article)): Api<Path<String>>,
    Api(Query(p)): Api<Query<ExplainParams>>,
) -> Result<Response, ApiError> {
    let v = blocking(&s, move |s| {
        s.read(|st| {
            explain::explain(st, &article, p.story.as_deref()).map_err(|e| {
                if e.to_string().contains("no article") {
                    anyhow::Error::new(ClientError::NotFound(format!("{e:#}")))
                } else {
                    e
                }
            })
        })
    })
    .await;
    match v {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => Err(e),
    }
}

fn authorised(s: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &s.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // Compare in constant time: a token is a secret.
    let ok = given.is_some_and(|g| {
        g.len() == token.len()
            && g.bytes()
                .zip(token.bytes())
                .fold(0u8, |a, (x, y)| a | (x ^ y))
                == 0
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "this endpoint needs the header Authorization: Bearer <token>".into(),
        ))
    }
}

#[utoipa::path(post, path = "/api/articles",
    request_body(content = Object, description = "One article object, or an array of them: {id, url, title, date, outlet, fetched, lang, text | html}"),
    responses((status = 200, description = "The ingest summary, as `ingest --json` prints it", body = Object),
              (status = 400, description = "Not JSON, or no article in it", body = Object),
              (status = 401, description = "Missing or wrong bearer token", body = Object),
              (status = 413, description = "Body over the size limit", body = Object)),
    security(("bearer" = [])))]
async fn api_post_articles(
    State(s): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    // Refused before a byte of the body is read: a wrong token, or a declared length
    // over the limit (a body that lies about its length is cut off at the limit below).
    authorised(&s, &headers)?;
    let too_big = || {
        ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body is over the {MAX_BODY_BYTES}-byte limit"),
        )
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_big());
    }
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            let over = std::error::Error::source(&e)
                .is_some_and(|c| c.is::<http_body_util::LengthLimitError>());
            if over {
                too_big()
            } else {
                bad(format!("request body could not be read: {e}"))
            }
        })?;
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| bad(format!("request body is not JSON: {e}")))?;
    let records = match value {
        serde_json::Value::Array(a) => a,
        o @ serde_json::Value::Object(_) => vec![o],
        _ => return Err(bad("want one article object or an array of them")),
    };
    if records.is_empty() {
        return Err(bad("the array holds no article"));
    }
    let mut lines = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if !r.is_object() {
            return Err(bad(format!("record {}: not a JSON object", i + 1)));
        }
        serde_json::to_writer(&mut lines, r).map_err(internal)?;
        lines.push(b'\n');
    }
    let summary = blocking(&s, move |s| {
        let mut store = s.writer.lock().unwrap_or_else(|p| p.into_inner());
        let opts = ingest::Options {
            batch: ingest::DEFAULT_BATCH,
            progress: false,
            read: Default::default(),
        };
        let summary = ingest::ingest_bytes(&mut store, "POST /api/articles", &lines, &opts)?;
        // Searchable and fresh as soon as the response says it is stored.
        let synced = s.index.sync(&store);
        s.own_write();
        s.index_changed();
        synced?;
        Ok(summary)
    })
    .await?;
    let status = if summary.read == 0 && !summary.rejected.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Json(summary)).into_response())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Storyline", description = "News stories: search, synthesis, duplicates and ingest."),
    paths(api_stories, api_story, api_article, api_search, api_duplicates, api_explain, api_post_articles),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

struct Bearer;
impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            utoipa::openapi::security::SecurityScheme::Http(
                utoipa::openapi::security::HttpBuilder::new()
                    .scheme(utoipa::openapi::security::HttpAuthScheme::Bearer)
                    .build(),
            ),
        );
    }
}

async fn not_found_api() -> ApiError {
    not_found("no such endpoint")
}

pub fn router(state: Shared) -> Router {
    let api = Router::new()
        .route("/api/stories", get(api_stories))
        .route("/api/stories/{id}", get(api_story))
        .route("/api/articles/{id}", get(api_article))
        .route("/api/articles", post(api_post_articles))
        .route("/api/search", get(api_search))
        .route("/api/duplicates", get(api_duplicates))
        .route("/api/explain/{article}", get(api_explain))
        .route("/api/{*rest}", get(not_found_api).post(not_found_api))
        .method_not_allowed_fallback(method_not_allowed_api);
    let pages = Router::new()
        .route("/", get(web::index))
        .route("/stories/{id}", get(web::story_page))
        .route("/search", get(web::search_page))
        .method_not_allowed_fallback(web::method_not_allowed);
    Router::new()
        .merge(api)
        .merge(pages)
        // Swagger UI, vendored in the binary, also serves `/openapi.json`.
        .merge(utoipa_swagger_ui::SwaggerUi::new("/docs").url("/openapi.json", ApiDoc::openapi()))
        .fallback(web::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Serves until Ctrl-C.
pub fn serve(cfg: Config) -> anyhow::Result<()> {
    if !cfg.addr.ip().is_loopback() && cfg.token.is_none() {
        anyhow::bail!(
            "refusing to listen on {} without a token: write endpoints would be open to the network. \
             Set STORYLINE_TOKEN (or --token-file), or bind to 127.0.0.1",
            cfg.addr
        );
    }
    let state = Arc::new(AppState::open(cfg.store.clone(), cfg.token)?);
    let _ = state.me.set(Arc::downgrade(&state));
    {
        let weak = Arc::downgrade(&state);
        let dir = cfg.store.clone();
        std::thread::spawn(move || AppState::watch(weak, dir));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let app = router(state.clone());
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(cfg.addr)
            .await
            .with_context(|| format!("cannot listen on {}", cfg.addr))?;
        let local = listener.local_addr()?;
        // One line on stdout, for people and for scripts that bound port 0.
        println!(
            "storyline: serving {} on http://{local}",
            state.dir.display()
        );
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server failed")
    })
}
