//! `store`: the system of record, one SQLite database in one directory.
//!
//! Everything Storyline knows is here, readable with any SQLite tool: articles with
//! their extracted fields and which event they belong to, the features clustering
//! used, event state (so clustering resumes after a restart with the same ids), links
//! between events, and corpus statistics. The schema is versioned with
//! `PRAGMA user_version` and upgraded by the migrations in [`MIGRATIONS`].
//!
//! Writes happen in transactions the caller scopes with [`Store::transaction`]: a
//! crash or Ctrl-C leaves the database as of the last commit, and re-running the same
//! ingest completes the job without duplicates.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use storyline_analyze::{Entity, Features};
use storyline_cluster::{Corpus, EventHead, EventState, Link, Profile};
use storyline_model::Article;

/// The database file inside the store directory.
pub const DB_FILE: &str = "storyline.db";

/// Schema migrations; entry `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE articles (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    record_hash     TEXT NOT NULL,
    source          TEXT NOT NULL,
    url             TEXT,
    title           TEXT,
    published       TEXT,
    published_ts    INTEGER,
    date_source     TEXT,
    date_confidence REAL,
    modified        TEXT,
    crawled         TEXT,
    authors         TEXT NOT NULL DEFAULT '[]',
    outlet          TEXT,
    wire            TEXT,
    lang            TEXT,
    body            TEXT NOT NULL,
    body_key        TEXT,
    copy_of         TEXT,
    event_id        TEXT NOT NULL,
    ingested_at     TEXT NOT NULL
);
CREATE INDEX articles_record_hash ON articles(record_hash);
CREATE INDEX articles_body_key ON articles(body_key);
CREATE INDEX articles_event ON articles(event_id, published_ts);
CREATE TABLE features (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    terms      TEXT NOT NULL,
    entities   TEXT NOT NULL
);
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    headline   TEXT,
    first_ts   INTEGER,
    last_ts    INTEGER,
    articles   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE links (
    from_event TEXT NOT NULL,
    to_event   TEXT NOT NULL,
    shared     TEXT NOT NULL,
    gap_days   INTEGER,
    reason     TEXT NOT NULL,
    PRIMARY KEY (from_event, to_event)
);
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    r#"
ALTER TABLE articles ADD COLUMN relation TEXT;
ALTER TABLE articles ADD COLUMN diff TEXT;
UPDATE articles SET relation = 'exact' WHERE copy_of IS NOT NULL;
CREATE INDEX articles_copy_of ON articles(copy_of);
CREATE INDEX articles_published ON articles(published_ts);
CREATE TABLE signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    ts         INTEGER,
    sig        BLOB NOT NULL
);
CREATE INDEX signatures_ts ON signatures(ts);
"#,
    // Events by time (clustering loads only the events around the dates it assigns)
    // and by core entity (links to events no longer in memory).
    r#"
CREATE INDEX events_last_ts ON events(last_ts);
CREATE INDEX events_first_ts ON events(first_ts);
CREATE TABLE event_core (
    entity  TEXT NOT NULL,
    last_ts INTEGER,
    event   TEXT NOT NULL,
    PRIMARY KEY (entity, event)
) WITHOUT ROWID;
CREATE INDEX event_core_entity_ts ON event_core(entity, last_ts);
CREATE INDEX event_core_event ON event_core(event);
INSERT INTO event_core (entity, last_ts, event)
SELECT key, last_ts, id FROM (
    SELECT e.id, e.last_ts, j.key,
           row_number() OVER (PARTITION BY e.id ORDER BY json_extract(j.value, '$[1]') DESC, j.key) AS rank
    FROM events e, json_each(e.state, '$.entities') j
) WHERE rank <= 8;
"#,
    // Links are dropped by either end; how many articles an event had when its
    // headline was last chosen.
    r#"
CREATE INDEX links_to ON links(to_event);
ALTER TABLE events ADD COLUMN headline_articles INTEGER;
"#,
    // A person's corrections (`storyline merge`, `storyline move`), replayed after
    // re-clustering. Events are named by an article they hold (`anchor`, `other`), so a
    // correction still applies when re-clustering gives the event another id; the ids
    // as the person gave them are kept for display. A merged-away event id resolves to
    // the event that absorbed it.
    r#"
CREATE TABLE corrections (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    article    TEXT,
    anchor     TEXT,
    other      TEXT,
    from_event TEXT,
    to_event   TEXT,
    made_at    TEXT NOT NULL
);
CREATE TABLE event_alias (
    old   TEXT PRIMARY KEY,
    event TEXT NOT NULL
) WITHOUT ROWID;
"#,
    // The month an undated article's URL names (epoch seconds, first day to the next
    // month's), which clustering weighs it by. Articles stored before have none.
    r#"
ALTER TABLE features ADD COLUMN month_from INTEGER;
ALTER TABLE features ADD COLUMN month_to INTEGER;
"#,
    // German articles' lone nouns (`Features::nouns`, a JSON list; none in other
    // languages), and how many stored articles write each so: synthesis asks which
    // words of a German story's names the store's texts use as common nouns. Counted
    // for the articles stored before by `count_stored_nouns`, run with this step.
    r#"
ALTER TABLE features ADD COLUMN nouns TEXT;
CREATE TABLE noun_df (
    noun TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;
"#,
    // Languages stored by their ISO 639-3 code (`ben`, `kat`: the detector's code for
    // every language the old table did not map) get their ISO 639-1 code, as
    // extraction now writes every one: by `two_letter_languages`, run with this step.
    "-- articles.lang in ISO 639-1",
];

/// The migration that writes stored three-letter language codes as two letters
/// ([`MIGRATIONS`] index).
const LANGUAGES_MIGRATION: usize = 7;

/// The migration that adds the noun counts ([`MIGRATIONS`] index): the articles
/// already stored are counted in the same transaction.
const NOUNS_MIGRATION: usize = 6;

/// The `meta` key bumped by every change to the lone-noun counts (`noun_df`): a German
/// story's view reads them (see [`StoryVersion::nouns_epoch`]).
const NOUNS_EPOCH: &str = "nouns_epoch";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create store directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("store {path} has schema version {found}, newer than this Storyline knows ({known}); upgrade Storyline")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("no story with id {0:?}")]
    NoStory(String),
    #[error("story id {0:?} is ambiguous: {1}")]
    Ambiguous(String, String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A stored month range (both ends, or none).
fn month(from: Option<i64>, to: Option<i64>) -> Option<(i64, i64)> {
    from.zip(to)
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// An article as stored, with the event it belongs to and the original it copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub date_source: Option<String>,
    pub date_confidence: Option<f64>,
    pub outlet: Option<String>,
    pub wire: Option<String>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    /// The id of the original this article copies.
    pub copy_of: Option<String>,
    /// How it copies it: `exact`, `near`, `truncated` or `updated`.
    pub relation: Option<String>,
    /// What the copy changed (JSON object), for copies.
    pub diff: Option<serde_json::Value>,
    #[serde(skip)]
    pub published_ts: Option<i64>,
    #[serde(skip)]
    pub event_id: String,
}

/// A related story and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub id: String,
    pub reason: String,
    pub headline: Option<String>,
    /// `before` or `after` this story.
    pub when: &'static str,
    pub shared: Vec<String>,
    pub gap_days: Option<i64>,
}

/// A story (one event) with its articles and related stories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub id: String,
    pub headline: Option<String>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub outlets: Vec<String>,
    pub articles: Vec<ArticleRow>,
    pub related: Vec<Related>,
}

/// The columns [`article_row`] reads, in its order.
const ARTICLE_COLUMNS: &str = "id, source, url, title, published, date_source, date_confidence, outlet, wire, authors, lang, copy_of, published_ts, event_id, relation, diff";

/// An [`ArticleRow`] from a row that starts with [`ARTICLE_COLUMNS`].
fn article_row(r: &rusqlite::Row) -> rusqlite::Result<ArticleRow> {
    let authors: String = r.get(9)?;
    Ok(ArticleRow {
        id: r.get(0)?,
        source: r.get(1)?,
        url: r.get(2)?,
        title: r.get(3)?,
        published: r.get(4)?,
        date_source: r.get(5)?,
        date_confidence: r.get(6)?,
        outlet: r.get(7)?,
        wire: r.get(8)?,
        authors: serde_json::from_str(&authors).unwrap_or_default(),
        lang: r.get(10)?,
        copy_of: r.get(11)?,
        published_ts: r.get(12)?,
        event_id: r.get(13)?,
        relation: r.get(14)?,
        diff: r
            .get::<_, Option<String>>(15)?
            .and_then(|d| serde_json::from_str(&d).ok()),
    })
}

/// A story as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryListItem {
    pub id: String,
    pub headline: Option<String>,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub articles: i64,
}

/// What the search index holds of an article.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub seq: i64,
    pub id: String,
    pub event_id: String,
    pub title: Option<String>,
    pub body: String,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub published_ts: Option<i64>,
    /// Entity names, most salient first.
    pub entities: Vec<String>,
}

/// What an article's insert needs besides the article.
pub struct NewArticle<'a> {
    pub article: &'a Article,
    pub record_hash: &'a str,
    pub body_key: Option<&'a str>,
    pub copy_of: Option<&'a str>,
    pub relation: Option<&'a str>,
    /// JSON of what the copy changed.
    pub diff: Option<String>,
    pub event_id: &'a str,
    pub features: &'a Features,
    /// The MinHash signature, as bytes.
    pub signature: &'a [u8],
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, upgrading its schema.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(err)?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536;")
            .map_err(err)?;
        // Room for every statement the store prepares (the default holds 16; an ingest
        // alone runs more than that, and a statement pushed out is parsed again).
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store { conn, path };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.err())
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                known,
            });
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            if i == NOUNS_MIGRATION {
                count_stored_nouns(&tx).map_err(err)?;
            }
            if i == LANGUAGES_MIGRATION {
                two_letter_languages(&tx).map_err(err)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }

    /// The corpus statistics clustering resumes from (events are loaded by time, as
    /// needed: see [`Store::event_ids_between`]).
    pub fn load_corpus(&self) -> Result<Corpus> {
        let e = self.err();
        let docs = self.corpus_docs()?;
        let mut df = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT term, df FROM term_df")
            .map_err(&e)?;
        for row in stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(&e)?
        {
            let (t, n) = row.map_err(&e)?;
            df.insert(t, n as u64);
        }
        Ok(Corpus { docs, df })
    }

    /// The number of articles counted in the document frequencies; a clusterer with
    /// a stored vocabulary starts from it alone and looks terms up as it meets them
    /// ([`Tx::term_dfs`]).
    pub fn corpus_docs(&self) -> Result<u64> {
        let e = self.err();
        let docs: u64 = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'docs'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map_err(&e)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(docs)
    }

    /// Ids of the stored events whose time span overlaps `[lo, hi]` (epoch seconds).
    pub fn event_ids_between(&self, lo: i64, hi: i64) -> Result<Vec<String>> {
        q_event_ids_between(&self.conn, &self.err(), lo, hi)
    }

    /// Ids of the most recently changed undated events (no dated article), newest first.
    pub fn undated_event_ids(&self, limit: usize) -> Result<Vec<String>> {
        q_undated_event_ids(&self.conn, &self.err(), limit)
    }

    /// Stored event states by id (unknown ids are skipped).
    pub fn event_states(&self, ids: &[String]) -> Result<Vec<EventState>> {
        q_event_states(&self.conn, &self.err(), ids)
    }

    /// The stored document frequencies of `terms` (see [`Tx::term_dfs`]).
    pub fn term_dfs<'t>(&self, terms: &[&'t str]) -> Result<Vec<(&'t str, u64)>> {
        q_term_dfs(&self.conn, &self.err(), terms)
    }

    /// Of `keys` (entity keys of single words), those some stored German text writes
    /// as a lone noun after an article or determiner ([`Features::nouns`]), with how
    /// many articles do. One primary-key lookup each.
    pub fn noun_dfs<'k>(&self, keys: &[&'k str]) -> Result<Vec<(&'k str, u64)>> {
        q_counts(
            &self.conn,
            &self.err(),
            "SELECT df FROM noun_df WHERE noun = ?1",
            keys,
        )
    }

    /// The stored lone nouns ([`Store::noun_dfs`]) that begin with one of
    /// `prefixes`, each at most as many characters long as its prefix says (`(stem,
    /// longest)`): the forms of a word the store may write, in one range read of the
    /// table per prefix instead of a lookup per form. Sorted, each once.
    pub fn nouns_beginning(&self, prefixes: &[(&str, usize)]) -> Result<Vec<String>> {
        let e = self.err();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT noun FROM noun_df WHERE noun >= ?1 AND noun < ?2 AND length(noun) <= ?3",
            )
            .map_err(&e)?;
        let mut out = Vec::new();
        for (prefix, longest) in prefixes {
            // Every key that begins with the prefix sorts below the prefix followed by
            // the largest character (keys compare as UTF-8 bytes).
            let end = format!("{prefix}{}", char::MAX);
            let rows = stmt
                .query_map(params![prefix, end, *longest as i64], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(&e)?;
            for noun in rows {
                out.push(noun.map_err(&e)?);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The `per_key` latest events (by their last article) holding each of `keys`
    /// among their core entities, whatever their dates; sorted, without repeats.
    pub fn events_with_core_entities(
        &self,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<String>> {
        let e = self.err();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT event FROM event_core WHERE entity = ?1 ORDER BY last_ts DESC LIMIT ?2",
            )
            .map_err(&e)?;
        let mut ids = Vec::new();
        for k in keys {
            let rows = stmt
                .query_map(params![k, per_key as i64], |r| r.get::<_, String>(0))
                .map_err(&e)?;
            for id in rows {
                ids.push(id.map_err(&e)?);
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        Ok(Tx { tx, path })
    }

    /// All stories, newest first (by their latest article); undated stories last.
    pub fn stories(&self) -> Result<Vec<Story>> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM events ORDER BY last_ts IS NULL, last_ts DESC, id")
                .map_err(self.err())?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
            rows.collect::<std::result::Result<_, _>>()
                .map_err(self.err())?
        };
        let mut articles = self.articles_by_event(None)?;
        let links = self.all_links()?;
        let headlines = self.headlines()?;
        Ok(ids
            .into_iter()
            .map(|id| {
                let arts = articles.remove(&id).unwrap_or_default();
                build_story(id, arts, &links, &headlines)
            })
            .collect())
    }

    /// One story by id or unique id prefix.
    pub fn story(&self, id: &str) -> Result<Story> {
        let full = self.resolve_event(id)?;
        let mut articles = self.articles_by_event(Some(&full))?;
        let links = self.links_of(&full)?;
        let mut headlines = HashMap::new();
        headlines.insert(full.clone(), self.headline(&full)?);
        for l in &links {
            for e in [&l.from, &l.to] {
                if !headlines.contains_key(e) {
                    headlines.insert(e.clone(), self.headline(e)?);
                }
            }
        }
        let arts = articles.remove(&full).unwrap_or_default();
        Ok(build_story(full, arts, &links, &headlines))
    }

    /// A story's full id and its [`StoryVersion`]: what changes whenever its view
    /// (the story and its synthesis) may.
    pub fn story_version(&self, id: &str) -> Result<(String, StoryVersion)> {
        let full = self.resolve_event(id)?;
        let e = self.err();
        // Asked on every story request the server answers: the SQL is built once.
        static HEAD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let head = HEAD.get_or_init(|| {
            format!(
                "SELECT updated_at, (SELECT COUNT(*) FROM articles WHERE event_id = ?1),
                        EXISTS (SELECT 1 FROM articles WHERE event_id = ?1 AND lang IN ({}))
                 FROM events WHERE id = ?1",
                noun_capitalising_sql()
            )
        });
        let (updated_at, articles, german) = self
            .conn
            .prepare_cached(head)
            .and_then(|mut st| {
                st.query_row(params![full], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, bool>(2)?))
                })
            })
            .map_err(&e)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT l.from_event, l.to_event, l.shared, l.gap_days, o.headline
                 FROM links l LEFT JOIN events o
                   ON o.id = CASE WHEN l.from_event = ?1 THEN l.to_event ELSE l.from_event END
                 WHERE l.from_event = ?1 OR l.to_event = ?1
                 ORDER BY l.from_event, l.to_event",
            )
            .map_err(&e)?;
        let links = stmt
            .query_map(params![full], |r| {
                Ok(VersionLink {
                    from: r.get(0)?,
                    to: r.get(1)?,
                    shared: r.get(2)?,
                    gap_days: r.get(3)?,
                    headline: r.get(4)?,
                })
            })
            .map_err(&e)?
            .collect::<std::result::Result<_, _>>()
            .map_err(&e)?;
        let nouns_epoch = if german {
            Some(q_meta_int(&self.conn, &e, NOUNS_EPOCH)?)
        } else {
            None
        };
        Ok((
            full,
            StoryVersion {
                updated_at,
                articles,
                links,
                nouns_epoch,
            },
        ))
    }

    fn links_of(&self, event: &str) -> Result<Vec<StoredLink>> {
        self.all_links_where("WHERE from_event = ?1 OR to_event = ?1", Some(event))
    }

    /// A story's full id from its id, a unique prefix of it, or the id of a story
    /// merged into it.
    pub fn resolve_story(&self, id: &str) -> Result<String> {
        self.resolve_event(id)
    }

    /// Merged-away story ids and the story that holds their articles now (an id that
    /// names a story again, after re-clustering, is that story's).
    pub fn merged_stories(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.old, a.event FROM event_alias a
                 WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = a.old)",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The corrections a person made, oldest first.
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        q_corrections(&self.conn, &self.err())
    }

    /// The event an article is in, and the canonical of its duplicate group (as
    /// [`Tx::article_event`]).
    pub fn article_event(&self, id: &str) -> Result<Option<(String, String)>> {
        q_article_event(&self.conn, &self.err(), id)
    }

    /// The sequence number of the last correction made (0 before any): a merge changes
    /// which story an article's stored story id resolves to without changing the
    /// [`IndexMark`], so what was derived from the resolved ids is stale when this
    /// changes. Corrections are only ever added.
    pub fn last_correction(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM corrections", [], |r| {
                r.get(0)
            })
            .map_err(self.err())
    }

    fn resolve_event(&self, id: &str) -> Result<String> {
        let exact: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE id = ?1")
            .and_then(|mut st| st.query_row(params![id], |r| r.get(0)).optional())
            .map_err(self.err())?;
        if let Some(e) = exact {
            return Ok(e);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id FROM events WHERE id = ?1 OR id LIKE ?2 ESCAPE '\\' ORDER BY id LIMIT 6",
            )
            .map_err(self.err())?;
        let pattern = format!(
            "{}%",
            id.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let ids: Vec<String> = stmt
            .query_map(params![id, pattern], |r| r.get(0))
            .map_err(self.err())?
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        if ids.iter().any(|x| x == id) {
            return Ok(id.to_string());
        }
        if ids.is_empty() {
            // An event merged into another: its id names the event that absorbed it.
            let alias: Option<String> = self
                .conn
                .query_row(
                    "SELECT a.event FROM event_alias a JOIN events e ON e.id = a.event WHERE a.old = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(self.err())?;
            if let Some(e) = alias {
                return Ok(e);
            }
        }
        match ids.len() {
            0 => Err(StoreError::NoStory(id.to_string())),
            1 => Ok(ids[0].clone()),
            _ => Err(StoreError::Ambiguous(id.to_string(), ids.join(", "))),
        }
    }

    fn headlines(&self) -> Result<HashMap<String, Option<String>>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, headline FROM events")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    fn all_links(&self) -> Result<Vec<StoredLink>> {
        self.all_links_where("WHERE ?1 IS NULL", None)
    }

    fn all_links_where(&self, filter: &str, event: Option<&str>) -> Result<Vec<StoredLink>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT from_event, to_event, reason, shared, gap_days FROM links {filter} ORDER BY from_event, to_event"))
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], |r| {
                let shared: String = r.get(3)?;
                Ok(StoredLink {
                    from: r.get(0)?,
                    to: r.get(1)?,
                    reason: r.get(2)?,
                    shared: serde_json::from_str(&shared).unwrap_or_default(),
                    gap_days: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    fn articles_by_event(&self, event: Option<&str>) -> Result<HashMap<String, Vec<ArticleRow>>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE (?1 IS NULL OR event_id = ?1) ORDER BY published_ts IS NULL, published_ts, seq"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], article_row)
            .map_err(self.err())?;
        let mut out: HashMap<String, Vec<ArticleRow>> = HashMap::new();
        for row in rows {
            let row = row.map_err(self.err())?;
            out.entry(row.event_id.clone()).or_default().push(row);
        }
        Ok(out)
    }

    /// A page of stories without their articles, newest (by last article) or biggest
    /// first: what a story list shows.
    pub fn story_list(
        &self,
        biggest: bool,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<StoryListItem>> {
        let order = if biggest {
            "articles DESC, last_ts IS NULL, last_ts DESC, id"
        } else {
            "last_ts IS NULL, last_ts DESC, id"
        };
        let sql = format!(
            "SELECT id, headline, first_ts, last_ts, articles FROM events ORDER BY {order} LIMIT ?1 OFFSET ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![limit as i64, offset as i64], |r| {
                Ok(StoryListItem {
                    id: r.get(0)?,
                    headline: r.get(1)?,
                    first_ts: r.get(2)?,
                    last_ts: r.get(3)?,
                    articles: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Stories by id, in the order given (unknown ids left out).
    pub fn story_items(&self, ids: &[String]) -> Result<Vec<StoryListItem>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, headline, first_ts, last_ts, articles FROM events WHERE id = ?1",
            )
            .map_err(self.err())?;
        let mut out = Vec::new();
        for id in ids {
            let item = stmt
                .query_row(params![id], |r| {
                    Ok(StoryListItem {
                        id: r.get(0)?,
                        headline: r.get(1)?,
                        first_ts: r.get(2)?,
                        last_ts: r.get(3)?,
                        articles: r.get(4)?,
                    })
                })
                .optional()
                .map_err(self.err())?;
            out.extend(item);
        }
        Ok(out)
    }

    /// One article with its main text.
    pub fn article(&self, id: &str) -> Result<Option<(ArticleRow, String)>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS}, body FROM articles WHERE id = ?1");
        self.conn
            .query_row(&sql, params![id], |r| Ok((article_row(r)?, r.get(16)?)))
            .optional()
            .map_err(self.err())
    }

    /// The store's [`IndexMark`].
    pub fn index_mark(&self) -> Result<IndexMark> {
        let (max_seq, count) = self
            .conn
            .query_row(
                "SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        Ok(IndexMark {
            max_seq,
            count,
            regroup_epoch: self.regroup_epoch()?,
        })
    }

    /// Bumped whenever stored articles change story after they were stored other than
    /// by a merge (a move, re-clustering): what was derived from the article-to-story
    /// mapping (the search index's story field) is stale when it changes. A merge needs
    /// no bump: the merged-away id resolves through [`Store::merged_stories`].
    pub fn regroup_epoch(&self) -> Result<i64> {
        q_meta_int(&self.conn, &self.err(), "regroup_epoch")
    }

    /// Every article stored after sequence number `after`, in order, with what search
    /// indexes of it.
    pub fn index_rows(&self, after: i64, sink: &mut dyn FnMut(IndexRow)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.seq, a.id, a.event_id, a.title, a.body, a.outlet, a.lang, a.published_ts, f.entities
                 FROM articles a LEFT JOIN features f ON f.article_id = a.id
                 WHERE a.seq > ?1 ORDER BY a.seq",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query(params![after]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            let entities: Option<String> = r.get(8).map_err(self.err())?;
            let entities: Vec<Entity> = entities
                .and_then(|e| serde_json::from_str(&e).ok())
                .unwrap_or_default();
            let row = (|| {
                Ok::<_, rusqlite::Error>(IndexRow {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    event_id: r.get(2)?,
                    title: r.get(3)?,
                    body: r.get(4)?,
                    outlet: r.get(5)?,
                    lang: r.get(6)?,
                    published_ts: r.get(7)?,
                    entities: entities.into_iter().map(|e| e.name).collect(),
                })
            })()
            .map_err(self.err())?;
            sink(row);
        }
        Ok(())
    }

    /// The main text and entities of every article of a story, by article id: what
    /// synthesis reads besides the story's rows.
    pub fn story_texts(&self, event: &str) -> Result<HashMap<String, (String, Vec<Entity>)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.body, f.entities FROM articles a
                 LEFT JOIN features f ON f.article_id = a.id WHERE a.event_id = ?1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], |r| {
                let entities: Option<String> = r.get(2)?;
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, String>(1)?,
                        entities
                            .and_then(|e| serde_json::from_str(&e).ok())
                            .unwrap_or_default(),
                    ),
                ))
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// What `explain` needs of an article: its story, publication time, the original
    /// it copies, its title and features.
    pub fn article_for_explain(&self, id: &str) -> Result<Option<ExplainRow>> {
        self.conn
            .query_row(
                "SELECT a.event_id, a.published_ts, a.copy_of, a.title, f.terms, f.entities,
                        f.month_from, f.month_to
                 FROM articles a JOIN features f ON f.article_id = a.id WHERE a.id = ?1",
                params![id],
                |r| {
                    let terms: String = r.get(4)?;
                    let entities: String = r.get(5)?;
                    Ok(ExplainRow {
                        event_id: r.get(0)?,
                        published_ts: r.get(1)?,
                        copy_of: r.get(2)?,
                        title: r.get(3)?,
                        features: Features {
                            terms: serde_json::from_str(&terms).unwrap_or_default(),
                            entities: serde_json::from_str(&entities).unwrap_or_default(),
                            month: month(r.get(6)?, r.get(7)?),
                            // Clustering's explanation does not read them.
                            nouns: Vec::new(),
                        },
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// Publication times of an event's articles other than `except`.
    pub fn event_times_except(&self, event: &str, except: &str) -> Result<Vec<Option<i64>>> {
        let mut stmt = self
            .conn
            .prepare("SELECT published_ts FROM articles WHERE event_id = ?1 AND id != ?2")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event, except], |r| r.get(0))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Story headlines by id.
    pub fn headline(&self, event: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT headline FROM events WHERE id = ?1",
                params![event],
                |r| r.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(self.err())
    }

    /// Signatures of articles published at or after `since` (epoch seconds), plus the
    /// undated ones, oldest first: what the dedup index needs after a restart.
    pub fn recent_signatures(&self, since: i64) -> Result<Vec<StoredSignature>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.published_ts, a.url, a.body_key, a.copy_of, s.sig FROM signatures s JOIN articles a ON a.id = s.article_id
                 WHERE s.ts IS NULL OR s.ts >= ?1 ORDER BY s.ts IS NULL, s.ts, a.seq",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![since], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// The latest publication time stored.
    pub fn newest_ts(&self) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT max(published_ts) FROM articles", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// Every duplicate group: canonical first, copies in order of publication.
    pub fn duplicate_groups(&self) -> Result<Vec<DupGroup>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, source, url, outlet, published, relation, diff, copy_of FROM articles
                 WHERE copy_of IS NOT NULL OR id IN (SELECT copy_of FROM articles WHERE copy_of IS NOT NULL)
                 ORDER BY published_ts IS NULL, published_ts, seq",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    DupMember {
                        id: r.get(0)?,
                        source: r.get(1)?,
                        url: r.get(2)?,
                        outlet: r.get(3)?,
                        published: r.get(4)?,
                        relation: r.get(5)?,
                        diff: r
                            .get::<_, Option<String>>(6)?
                            .and_then(|d| serde_json::from_str(&d).ok()),
                    },
                    r.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(self.err())?;
        let mut groups: Vec<DupGroup> = Vec::new();
        let mut copies: Vec<(DupMember, String)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let (m, copy_of) = row.map_err(self.err())?;
            match copy_of {
                None => {
                    index.insert(m.id.clone(), groups.len());
                    groups.push(DupGroup {
                        canonical: m,
                        copies: Vec::new(),
                    });
                }
                Some(c) => copies.push((m, c)),
            }
        }
        for (m, c) in copies {
            if let Some(&i) = index.get(&c) {
                groups[i].copies.push(m);
            }
        }
        Ok(groups)
    }

    pub fn counts(&self) -> Result<(i64, i64)> {
        let a = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .map_err(self.err())?;
        let e = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok((a, e))
    }
}

/// What `explain` needs of a stored article.
#[derive(Debug, Clone)]
pub struct ExplainRow {
    pub event_id: String,
    pub published_ts: Option<i64>,
    pub copy_of: Option<String>,
    pub title: Option<String>,
    pub features: Features,
}

/// An article a story's headline may be chosen from: its title, the names its site
/// goes by (outlet, URL), and its terms.
#[derive(Debug, Clone)]
pub struct HeadlineCandidate {
    pub title: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub features: Features,
}

/// A stored signature with what the dedup index needs: id, publication time, URL,
/// body key, the original it copies, and the signature bytes.
pub type StoredSignature = (
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<u8>,
);

/// What deduplication needs of a stored article.
#[derive(Debug, Clone)]
pub struct DedupRow {
    pub id: String,
    pub title: Option<String>,
    pub body: String,
    pub url: Option<String>,
    pub published_ts: Option<i64>,
    pub signature: Option<Vec<u8>>,
    pub event_id: String,
    pub copy_of: Option<String>,
}

/// Articles read per step of [`Tx::reanalyze`]: enough to keep every core busy
/// between the steps' writes, few enough that memory stays small.
const REANALYZE_CHUNK: usize = 512;

/// An article as [`Tx::reanalyze`] reads it: what the analysis reads, and the
/// features stored for it, as written.
struct Stored {
    id: String,
    title: Option<String>,
    body: String,
    lang: Option<String>,
    terms: Option<String>,
    entities: Option<String>,
    nouns: Option<String>,
}

/// The columns `dedup_row` reads, in its order.
const DEDUP_SELECT: &str = "SELECT a.id, a.title, a.body, a.url, a.published_ts, s.sig, a.event_id, a.copy_of FROM articles a LEFT JOIN signatures s ON s.article_id = a.id";

fn dedup_row(r: &rusqlite::Row) -> rusqlite::Result<DedupRow> {
    Ok(DedupRow {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        url: r.get(3)?,
        published_ts: r.get(4)?,
        signature: r.get(5)?,
        event_id: r.get(6)?,
        copy_of: r.get(7)?,
    })
}

/// A duplicate group as `storyline duplicates` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DupGroup {
    pub canonical: DupMember,
    pub copies: Vec<DupMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DupMember {
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<serde_json::Value>,
}

/// A row of the `links` table.
struct StoredLink {
    from: String,
    to: String,
    reason: String,
    shared: Vec<String>,
    gap_days: Option<i64>,
}

fn has_article(c: &Connection, id: &str, record_hash: &str) -> rusqlite::Result<bool> {
    c.query_row(
        "SELECT 1 FROM articles WHERE id = ?1 OR record_hash = ?2 LIMIT 1",
        params![id, record_hash],
        |_| Ok(()),
    )
    .optional()
    .map(|x| x.is_some())
}

fn original_with_body(
    c: &Connection,
    body_key: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    c.query_row(
        "SELECT id, event_id FROM articles WHERE body_key = ?1 AND copy_of IS NULL ORDER BY seq LIMIT 1",
        params![body_key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

fn build_story(
    id: String,
    articles: Vec<ArticleRow>,
    links: &[StoredLink],
    headlines: &HashMap<String, Option<String>>,
) -> Story {
    let dated: Vec<&ArticleRow> = articles
        .iter()
        .filter(|a| a.published_ts.is_some())
        .collect();
    let first_published = dated
        .iter()
        .min_by_key(|a| a.published_ts)
        .and_then(|a| a.published.clone());
    let last_published = dated
        .iter()
        .max_by_key(|a| a.published_ts)
        .and_then(|a| a.published.clone());
    let mut outlets: Vec<String> = articles.iter().filter_map(|a| a.outlet.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let related = links
        .iter()
        .filter_map(
            |StoredLink {
                 from,
                 to,
                 reason,
                 shared,
                 gap_days: gap,
             }| {
                let (other, when) = if *from == id {
                    (to, "after")
                } else if *to == id {
                    (from, "before")
                } else {
                    return None;
                };
                Some(Related {
                    id: other.clone(),
                    reason: reason.clone(),
                    headline: headlines.get(other).cloned().flatten(),
                    when,
                    shared: shared.clone(),
                    gap_days: *gap,
                })
            },
        )
        .collect();
    Story {
        headline: headlines.get(&id).cloned().flatten(),
        id,
        first_published,
        last_published,
        outlets,
        articles,
        related,
    }
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx<'a> {
    tx: Transaction<'a>,
    path: PathBuf,
}

impl Tx<'_> {
    /// Runs one statement through the connection's statement cache: an ingest runs the
    /// same few statements for every article and event, and preparing one parses its
    /// SQL anew each time.
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(params)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Whether an article with this id, or from a record with these exact bytes, is stored.
    pub fn has_article(&self, id: &str, record_hash: &str) -> Result<bool> {
        has_article(&self.tx, id, record_hash).map_err(self.err())
    }

    /// The original article with this body fingerprint, and its event.
    pub fn original_with_body(&self, body_key: &str) -> Result<Option<(String, String)>> {
        original_with_body(&self.tx, body_key).map_err(self.err())
    }

    pub fn insert_article(&self, n: &NewArticle) -> Result<()> {
        let a = n.article;
        let e = self.err();
        self
            .exec(
                "INSERT INTO articles (id, record_hash, source, url, title, published, published_ts, date_source, date_confidence,
                    modified, crawled, authors, outlet, wire, lang, body, body_key, copy_of, event_id, ingested_at, relation, diff)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                params![
                    a.id,
                    n.record_hash,
                    a.source,
                    a.url,
                    a.title,
                    a.published.map(|p| p.at.to_iso()),
                    a.published.map(|p| p.at.epoch_seconds()),
                    a.published.map(|p| p.source.as_str()),
                    a.published.map(|p| (f64::from(p.confidence) * 100.0).round() / 100.0),
                    a.modified.map(|p| p.at.to_iso()),
                    a.crawled.map(|d| d.to_string()),
                    serde_json::to_string(&a.authors).unwrap_or_else(|_| "[]".into()),
                    a.outlet,
                    a.wire,
                    a.lang,
                    a.text,
                    n.body_key,
                    n.copy_of,
                    n.event_id,
                    chrono::Utc::now().to_rfc3339(),
                    n.relation,
                    n.diff,
                ],
            )
            .map_err(&e)?;
        self
            .exec(
                "INSERT INTO features (article_id, terms, entities, month_from, month_to, nouns) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    a.id,
                    serde_json::to_string(&n.features.terms).unwrap_or_default(),
                    serde_json::to_string(&n.features.entities).unwrap_or_default(),
                    n.features.month.map(|m| m.0),
                    n.features.month.map(|m| m.1),
                    nouns_json(&n.features.nouns),
                ],
            )
            .map_err(&e)?;
        self.exec(
            "INSERT INTO signatures (article_id, ts, sig) VALUES (?1, ?2, ?3)",
            params![a.id, a.published.map(|p| p.at.epoch_seconds()), n.signature],
        )
        .map_err(&e)?;
        Ok(())
    }

    /// An article's title, body, URL, publication time and signature.
    pub fn article_for_dedup(&self, id: &str) -> Result<Option<DedupRow>> {
        self.tx
            .query_row(
                &format!("{DEDUP_SELECT} WHERE a.id = ?1"),
                params![id],
                dedup_row,
            )
            .optional()
            .map_err(self.err())
    }

    /// The members of a duplicate group: the canonical and every article copying it.
    pub fn group_members(&self, canonical: &str) -> Result<Vec<DedupRow>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "{DEDUP_SELECT} WHERE a.id = ?1 OR a.copy_of = ?1 ORDER BY a.seq"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![canonical], dedup_row)
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Sets what an article copies (or `None` to make it an original).
    pub fn set_copy(
        &self,
        id: &str,
        copy_of: Option<&str>,
        relation: Option<&str>,
        diff: Option<&str>,
    ) -> Result<()> {
        self.exec(
            "UPDATE articles SET copy_of = ?2, relation = ?3, diff = ?4 WHERE id = ?1",
            params![id, copy_of, relation, diff],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// Deletes an article and everything derived from it that is keyed by it
    /// (features, signature). The caller re-elects copies and updates the event first.
    pub fn delete_article(&self, id: &str, features: &Features) -> Result<()> {
        let e = self.err();
        for sql in [
            "DELETE FROM signatures WHERE article_id = ?1",
            "DELETE FROM features WHERE article_id = ?1",
            "DELETE FROM articles WHERE id = ?1",
        ] {
            self.exec(sql, params![id]).map_err(&e)?;
        }
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE term_df SET df = df - 1 WHERE term = ?1")
            .map_err(&e)?;
        for (t, _) in &features.terms {
            stmt.execute(params![t]).map_err(&e)?;
        }
        self.exec("DELETE FROM term_df WHERE df <= 0", [])
            .map_err(&e)?;
        if !features.nouns.is_empty() {
            add_nouns(&self.tx, &features.nouns, -1).map_err(&e)?;
            bump_meta(&self.tx, NOUNS_EPOCH).map_err(&e)?;
        }
        self.exec(
            "UPDATE meta SET value = MAX(CAST(value AS INTEGER) - 1, 0) WHERE key = 'docs'",
            [],
        )
        .map_err(&e)?;
        Ok(())
    }

    /// The event an article is in, and the canonical of its duplicate group (itself
    /// when it is an original).
    pub fn article_event(&self, id: &str) -> Result<Option<(String, String)>> {
        q_article_event(&self.tx, &self.err(), id)
    }

    /// Whether an event is stored.
    pub fn has_event(&self, id: &str) -> Result<bool> {
        self.tx
            .prepare_cached("SELECT 1 FROM events WHERE id = ?1")
            .and_then(|mut st| st.exists(params![id]))
            .map_err(self.err())
    }

    /// The article that names an event in a correction: its earliest original (by
    /// publication time, undated last, then storage order), leaving out `except`.
    pub fn event_anchor(&self, event: &str, except: &[String]) -> Result<Option<String>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT id FROM articles WHERE event_id = ?1 AND copy_of IS NULL
                 ORDER BY published_ts IS NULL, published_ts, seq",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        for id in rows {
            let id = id.map_err(self.err())?;
            if !except.contains(&id) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Ids and publication times of an event's articles, copies included, in storage order.
    pub fn event_members(&self, event: &str) -> Result<Vec<(String, Option<i64>)>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT id, published_ts FROM articles WHERE event_id = ?1 ORDER BY seq",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Puts an article in another event (the caller moves the event state).
    pub fn set_event(&self, article: &str, event: &str) -> Result<()> {
        self.exec(
            "UPDATE articles SET event_id = ?2 WHERE id = ?1",
            params![article, event],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// Records that event `old` was merged into `event`: `old` resolves to it from now
    /// on, and so do the ids that resolved to `old`.
    pub fn add_alias(&self, old: &str, event: &str) -> Result<()> {
        let e = self.err();
        self.exec(
            "UPDATE event_alias SET event = ?2 WHERE event = ?1",
            params![old, event],
        )
        .map_err(&e)?;
        self.exec(
            "INSERT INTO event_alias (old, event) VALUES (?1, ?2)
                 ON CONFLICT(old) DO UPDATE SET event = ?2",
            params![old, event],
        )
        .map_err(&e)?;
        self.exec("DELETE FROM event_alias WHERE old = event", [])
            .map_err(&e)?;
        Ok(())
    }

    /// The events holding an article a person's correction names: the merge pass
    /// leaves them alone.
    pub fn corrected_events(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT a.event_id FROM articles a WHERE a.id IN
                 (SELECT article FROM corrections UNION SELECT anchor FROM corrections
                  UNION SELECT other FROM corrections)",
            )
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Moves every article of event `from` to event `to` (the caller merges the states).
    pub fn move_event_articles(&self, from: &str, to: &str) -> Result<usize> {
        self.exec(
            "UPDATE articles SET event_id = ?2 WHERE event_id = ?1",
            params![from, to],
        )
        .map_err(self.err())
    }

    /// Stores a person's correction.
    pub fn add_correction(&self, c: &Correction) -> Result<()> {
        self.exec(
            "INSERT INTO corrections (kind, article, anchor, other, from_event, to_event, made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.kind,
                c.article,
                c.anchor,
                c.other,
                c.from_event,
                c.to_event,
                c.made_at
            ],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// The stored corrections, oldest first.
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        q_corrections(&self.tx, &self.err())
    }

    /// Marks the article-to-story mapping as changed (see [`Store::regroup_epoch`]).
    pub fn bump_regroup_epoch(&self) -> Result<()> {
        bump_meta(&self.tx, "regroup_epoch").map_err(self.err())
    }

    /// Forgets every event, link and event core (re-clustering rebuilds them); the
    /// articles keep their event ids until they are assigned again.
    pub fn clear_events(&self) -> Result<()> {
        self.tx
            .execute_batch("DELETE FROM links; DELETE FROM event_core; DELETE FROM events;")
            .map_err(self.err())
    }

    /// Takes every article out of its event, before re-clustering places them all
    /// again: until it is placed, an article belongs to no event (its `event_id` is
    /// empty), so what is read of an event meanwhile (its articles' times, titles,
    /// count) is what this run has put in it, not what the last one had. The
    /// transaction places every article before it commits.
    pub fn unassign_all(&self) -> Result<()> {
        self.tx
            .execute_batch("UPDATE articles SET event_id = ''")
            .map_err(self.err())
    }

    /// Every article as re-clustering reads it, in publication order (undated last):
    /// id, publication time, and the original it copies.
    pub fn articles_in_order(&self) -> Result<Vec<OrderedArticle>> {
        let mut stmt = self
            .tx
            .prepare(
                "SELECT id, published_ts, copy_of FROM articles
                 ORDER BY published_ts IS NULL, published_ts, seq",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Gives the undated articles stored without a URL month (before the store kept
    /// them) the month `month_of` reads in their URL. Returns how many it gave one.
    pub fn backfill_months(&self, month_of: impl Fn(&str) -> Option<(i64, i64)>) -> Result<usize> {
        let e = self.err();
        let rows: Vec<(String, String)> = {
            let mut stmt = self
                .tx
                .prepare(
                    "SELECT a.id, a.url FROM articles a JOIN features f ON f.article_id = a.id
                     WHERE a.published_ts IS NULL AND a.url IS NOT NULL AND f.month_from IS NULL",
                )
                .map_err(&e)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(&e)?;
            rows.collect::<std::result::Result<_, _>>().map_err(&e)?
        };
        let mut n = 0;
        for (id, url) in rows {
            if let Some((from, to)) = month_of(&url) {
                self.exec(
                    "UPDATE features SET month_from = ?2, month_to = ?3 WHERE article_id = ?1",
                    params![id, from, to],
                )
                .map_err(&e)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Publication times of an event's articles (for its time span after a removal).
    pub fn event_times(&self, event: &str) -> Result<Vec<Option<i64>>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT published_ts FROM articles WHERE event_id = ?1")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![event], |r| r.get(0))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Deletes an event that has no article left, with its links.
    pub fn delete_event(&self, event: &str) -> Result<()> {
        let e = self.err();
        self.exec("DELETE FROM links WHERE from_event = ?1", params![event])
            .map_err(&e)?;
        self.exec("DELETE FROM links WHERE to_event = ?1", params![event])
            .map_err(&e)?;
        self.exec("DELETE FROM events WHERE id = ?1", params![event])
            .map_err(&e)?;
        self.exec("DELETE FROM event_core WHERE event = ?1", params![event])
            .map_err(&e)?;
        Ok(())
    }

    /// Drops an event's links (before recomputing them).
    pub fn clear_links(&self, event: &str) -> Result<()> {
        self.exec("DELETE FROM links WHERE from_event = ?1", params![event])
            .map_err(self.err())?;
        self.exec("DELETE FROM links WHERE to_event = ?1", params![event])
            .map_err(self.err())?;
        Ok(())
    }

    /// Analyses every stored article again: `analyze` takes its title, main text and
    /// language (all the analysis reads) and gives its features, whose terms, names
    /// and lone nouns replace the stored ones where they are written otherwise (the
    /// noun counts follow); the URL month stays
    /// (ingest reads it from the URL, not the text). Returns how many articles'
    /// features changed. Rows are read [`REANALYZE_CHUNK`] at a time and analysed on
    /// every core (the analysis is all the cost), so memory does not grow with the
    /// store; the stored features are compared as written, not parsed.
    pub fn reanalyze(
        &self,
        analyze: impl Fn(Option<&str>, &str, Option<&str>) -> Features + Sync,
    ) -> Result<usize> {
        let e = self.err();
        let mut stmt = self
            .tx
            .prepare(
                "SELECT a.id, a.title, a.body, a.lang, f.terms, f.entities, f.nouns
                 FROM articles a JOIN features f ON f.article_id = a.id ORDER BY a.seq",
            )
            .map_err(&e)?;
        let mut rows = stmt.query([]).map_err(&e)?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut changed = 0;
        let mut nouns_moved = false;
        let mut chunk: Vec<Stored> = Vec::with_capacity(REANALYZE_CHUNK);
        loop {
            chunk.clear();
            while chunk.len() < REANALYZE_CHUNK {
                let Some(r) = rows.next().map_err(&e)? else {
                    break;
                };
                chunk.push(Stored {
                    id: r.get(0).map_err(&e)?,
                    title: r.get(1).map_err(&e)?,
                    body: r.get(2).map_err(&e)?,
                    lang: r.get(3).map_err(&e)?,
                    terms: r.get(4).map_err(&e)?,
                    entities: r.get(5).map_err(&e)?,
                    nouns: r.get(6).map_err(&e)?,
                });
            }
            if chunk.is_empty() {
                if nouns_moved {
                    bump_meta(&self.tx, NOUNS_EPOCH).map_err(&e)?;
                }
                return Ok(changed);
            }
            // Each thread analyses one contiguous share and writes the new features
            // as they are stored; the updates are then made here, in order.
            let share = chunk.len().div_ceil(threads);
            let analysed: Vec<(String, String, Vec<String>)> = std::thread::scope(|scope| {
                let analyze = &analyze;
                let handles: Vec<_> = chunk
                    .chunks(share)
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .map(|a| {
                                    let new =
                                        analyze(a.title.as_deref(), &a.body, a.lang.as_deref());
                                    (
                                        serde_json::to_string(&new.terms).unwrap_or_default(),
                                        serde_json::to_string(&new.entities).unwrap_or_default(),
                                        new.nouns,
                                    )
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("an analysing thread panicked"))
                    .collect()
            });
            for (a, (terms, entities, nouns)) in chunk.iter().zip(analysed) {
                let nouns_now = nouns_json(&nouns);
                if a.terms.as_deref() != Some(terms.as_str())
                    || a.entities.as_deref() != Some(entities.as_str())
                    || a.nouns != nouns_now
                {
                    self.exec(
                        "UPDATE features SET terms = ?2, entities = ?3, nouns = ?4 WHERE article_id = ?1",
                        params![a.id, terms, entities, nouns_now],
                    )
                    .map_err(&e)?;
                    if a.nouns != nouns_now {
                        let before: Vec<String> = a
                            .nouns
                            .as_deref()
                            .and_then(|n| serde_json::from_str(n).ok())
                            .unwrap_or_default();
                        add_nouns(&self.tx, &before, -1).map_err(&e)?;
                        add_nouns(&self.tx, &nouns, 1).map_err(&e)?;
                        nouns_moved = true;
                    }
                    changed += 1;
                }
            }
        }
    }

    /// The stored features of an article.
    pub fn features(&self, id: &str) -> Result<Option<Features>> {
        self.tx
            .query_row(
                "SELECT terms, entities, month_from, month_to, nouns FROM features WHERE article_id = ?1",
                params![id],
                |r| {
                    let terms: String = r.get(0)?;
                    let entities: String = r.get(1)?;
                    let nouns: Option<String> = r.get(4)?;
                    Ok(Features {
                        terms: serde_json::from_str(&terms).unwrap_or_default(),
                        entities: serde_json::from_str(&entities).unwrap_or_default(),
                        month: month(r.get(2)?, r.get(3)?),
                        nouns: nouns
                            .and_then(|n| serde_json::from_str(&n).ok())
                            .unwrap_or_default(),
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// Saves an event's state; `headline` is `Some` when it was chosen now (with the
    /// event's article count, see [`Tx::headline_articles`]), `None` to keep the stored one.
    pub fn save_event(&self, e: &EventState, headline: Option<Option<&str>>) -> Result<()> {
        let err = self.err();
        let state = serde_json::to_string(e).unwrap_or_default();
        let chosen = headline.is_some();
        let headline = headline.flatten();
        self.exec(
                "INSERT INTO events (id, headline, first_ts, last_ts, articles, state, updated_at, headline_articles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?8 THEN ?5 END)
                 ON CONFLICT(id) DO UPDATE SET headline = CASE WHEN ?8 THEN ?2 ELSE headline END, first_ts = ?3, last_ts = ?4, articles = ?5, state = ?6, updated_at = ?7,
                 headline_articles = CASE WHEN ?8 THEN ?5 ELSE headline_articles END",
                params![e.id, headline, e.first_ts, e.last_ts, e.articles, state, chrono::Utc::now().to_rfc3339(), chosen],
            )
            .map_err(&err)?;
        self.exec("DELETE FROM event_core WHERE event = ?1", params![e.id])
            .map_err(&err)?;
        let mut insert = self
            .tx
            .prepare_cached("INSERT INTO event_core (entity, last_ts, event) VALUES (?1, ?2, ?3)")
            .map_err(&err)?;
        // The linking core (migration 3 filled the table with the same 8).
        let core = storyline_cluster::Params::default().core_entities;
        for (key, _, _) in e.top_entities(core) {
            insert
                .execute(params![key, e.last_ts, e.id])
                .map_err(&err)?;
        }
        Ok(())
    }

    /// Ids of the stored events whose time span overlaps `[lo, hi]` (epoch seconds).
    pub fn event_ids_between(&self, lo: i64, hi: i64) -> Result<Vec<String>> {
        q_event_ids_between(&self.tx, &self.err(), lo, hi)
    }

    /// How many articles an event had when its headline was last chosen.
    pub fn headline_articles(&self, event: &str) -> Result<Option<i64>> {
        self.tx
            .prepare_cached("SELECT headline_articles FROM events WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row(params![event], |r| r.get::<_, Option<i64>>(0))
                    .optional()
            })
            .map(Option::flatten)
            .map_err(self.err())
    }

    /// Ids of the most recently changed undated events (no dated article), newest first.
    pub fn undated_event_ids(&self, limit: usize) -> Result<Vec<String>> {
        q_undated_event_ids(&self.tx, &self.err(), limit)
    }

    /// Stored event states by id (unknown ids are skipped).
    pub fn event_states(&self, ids: &[String]) -> Result<Vec<EventState>> {
        q_event_states(&self.tx, &self.err(), ids)
    }

    /// What linking needs of the stored events `ids` (those found), for a core of
    /// `core` entities: their spans and strongest entities, read without their
    /// centroids. The same as [`EventState::profile`] of [`Tx::event_states`].
    pub fn event_profiles(&self, ids: &[String], core: usize) -> Result<Vec<Profile>> {
        let heads: Vec<EventHead> = q_event_states(&self.tx, &self.err(), ids)?;
        Ok(heads.into_iter().map(|h| h.profile(core)).collect())
    }

    /// Events that have at least two of `keys` among their core entities, looked up
    /// per key among the `per_key` latest events ending before `lo` and the `per_key`
    /// earliest ending after `hi` (the events around `[lo, hi]` are in memory).
    pub fn core_neighbours(
        &self,
        keys: &[String],
        lo: i64,
        hi: i64,
        per_key: usize,
    ) -> Result<Vec<String>> {
        let e = self.err();
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut before = self
            .tx
            .prepare_cached("SELECT event FROM event_core WHERE entity = ?1 AND last_ts < ?2 ORDER BY last_ts DESC LIMIT ?3")
            .map_err(&e)?;
        let mut after = self
            .tx
            .prepare_cached("SELECT event FROM event_core WHERE entity = ?1 AND last_ts > ?2 ORDER BY last_ts ASC LIMIT ?3")
            .map_err(&e)?;
        for k in keys {
            let mut of_key: HashSet<String> = HashSet::new();
            for (stmt, bound) in [(&mut before, lo), (&mut after, hi)] {
                let rows = stmt
                    .query_map(params![k, bound, per_key as i64], |r| r.get::<_, String>(0))
                    .map_err(&e)?;
                for id in rows {
                    of_key.insert(id.map_err(&e)?);
                }
            }
            for id in of_key {
                *counts.entry(id).or_default() += 1;
            }
        }
        let mut ids: Vec<String> = counts
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The stored document frequencies of `terms`, those the store has (a term it has
    /// never counted is left out). A prepared point lookup per term on the primary key:
    /// a batch asks for the few thousand terms its clusterer does not hold.
    pub fn term_dfs<'t>(&self, terms: &[&'t str]) -> Result<Vec<(&'t str, u64)>> {
        q_term_dfs(&self.tx, &self.err(), terms)
    }

    /// Adds a batch's document frequencies: `counts` holds, per term, how many of the
    /// batch's `docs` articles have it.
    pub fn add_df(&self, counts: &HashMap<String, u64>, docs: u64) -> Result<()> {
        let e = self.err();
        self.add_counts(
            "INSERT INTO term_df (term, df) VALUES (?1, ?2) ON CONFLICT(term) DO UPDATE SET df = df + ?2",
            counts,
        )?;
        self
            .exec(
                "INSERT INTO meta (key, value) VALUES ('docs', ?1) ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + ?1",
                params![docs as i64],
            )
            .map_err(&e)?;
        Ok(())
    }

    /// Adds a batch's lone-noun counts: `counts` holds, per noun, how many of the
    /// batch's articles write it so (see [`Features::nouns`]).
    pub fn add_noun_counts(&self, counts: &HashMap<String, u64>) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        bump_meta(&self.tx, NOUNS_EPOCH).map_err(self.err())?;
        self.add_counts(
            "INSERT INTO noun_df (noun, df) VALUES (?1, ?2) ON CONFLICT(noun) DO UPDATE SET df = df + ?2",
            counts,
        )
    }

    /// Runs `upsert` (key `?1`, count `?2`) for every count, in key order.
    fn add_counts(&self, upsert: &str, counts: &HashMap<String, u64>) -> Result<()> {
        let e = self.err();
        let mut stmt = self.tx.prepare_cached(upsert).map_err(&e)?;
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort();
        for (k, n) in sorted {
            stmt.execute(params![k, *n as i64]).map_err(&e)?;
        }
        Ok(())
    }

    pub fn save_link(&self, l: &Link) -> Result<()> {
        self
            .exec(
                "INSERT INTO links (from_event, to_event, shared, gap_days, reason) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(from_event, to_event) DO UPDATE SET shared = ?3, gap_days = ?4, reason = ?5",
                params![l.from, l.to, serde_json::to_string(&l.shared).unwrap_or_default(), l.gap_days, l.reason()],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Titles, sites and features of an event's titled articles (among its originals,
    /// the `limit` most recently stored, oldest first), for choosing its headline. An
    /// article without a title cannot give one: it is left out, its terms unread.
    pub fn event_articles(&self, event: &str, limit: usize) -> Result<Vec<HeadlineCandidate>> {
        let e = self.err();
        let mut stmt = self
            .tx
            // `+copy_of`: the planner would otherwise walk the index of every original.
            .prepare_cached("SELECT title, outlet, url, terms FROM (SELECT a.seq, a.title, a.outlet, a.url, f.terms FROM articles a JOIN features f ON f.article_id = a.id WHERE a.event_id = ?1 AND +a.copy_of IS NULL ORDER BY a.seq DESC LIMIT ?2) ORDER BY seq")
            .map_err(&e)?;
        let mut rows = stmt.query(params![event, limit as i64]).map_err(&e)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(&e)? {
            let Some(title) = r.get::<_, Option<String>>(0).map_err(&e)? else {
                continue;
            };
            let terms: &str = r.get_ref(3).and_then(|v| Ok(v.as_str()?)).map_err(&e)?;
            out.push(HeadlineCandidate {
                title,
                outlet: r.get(1).map_err(&e)?,
                url: r.get(2).map_err(&e)?,
                features: Features {
                    terms: serde_json::from_str(terms).unwrap_or_default(),
                    ..Features::default()
                },
            });
        }
        Ok(out)
    }

    pub fn commit(self) -> Result<()> {
        let path = self.path.clone();
        self.tx
            .commit()
            .map_err(|source| StoreError::Sqlite { path, source })
    }
}

/// What a story's view is made from beyond its articles' stored text, so that a view
/// made at one version is the view at any other equal one (the server caches story
/// pages by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryVersion {
    /// When its event was last saved (its headline, dates and articles with it).
    pub updated_at: String,
    /// How many articles (copies included) it holds.
    pub articles: i64,
    /// Its links to related stories, as the view lists them. A link made or renewed by
    /// another story's event, and another story's new headline, leave this event
    /// unsaved.
    pub links: Vec<VersionLink>,
    /// The store's count of changes to its lone-noun counts, when the story holds an
    /// article in a language that capitalises nouns: its entity list reads what the
    /// store's German texts write as nouns. `None` otherwise.
    pub nouns_epoch: Option<i64>,
}

/// A link as [`StoryVersion`] compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionLink {
    pub from: String,
    pub to: String,
    pub shared: String,
    pub gap_days: Option<i64>,
    /// The other story's headline.
    pub headline: Option<String>,
}

/// What a search index compares with the mark it was built at, to know it is stale:
/// the newest article sequence number, the number of articles, and the
/// [`Store::regroup_epoch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndexMark {
    pub max_seq: i64,
    pub count: i64,
    pub regroup_epoch: i64,
}

/// An article as re-clustering reads it: id, publication time, the original it copies.
pub type OrderedArticle = (String, Option<i64>, Option<String>);

/// A person's correction, as stored (see migration 5).
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub seq: i64,
    /// `merge` or `move`.
    pub kind: String,
    /// `move`: the article moved (with its copies).
    pub article: Option<String>,
    /// `merge`: an article of the event kept; `move`: an article of the target event
    /// (none for a new event).
    pub anchor: Option<String>,
    /// `merge`: an article of the event merged into the kept one.
    pub other: Option<String>,
    /// The event ids as given: `merge` kept `to_event` and absorbed `from_event`;
    /// `move` took the article from `from_event` to `to_event`.
    pub from_event: Option<String>,
    pub to_event: Option<String>,
    pub made_at: String,
}

fn q_corrections(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
) -> Result<Vec<Correction>> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, kind, article, anchor, other, from_event, to_event, made_at
             FROM corrections ORDER BY seq",
        )
        .map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Correction {
                seq: r.get(0)?,
                kind: r.get(1)?,
                article: r.get(2)?,
                anchor: r.get(3)?,
                other: r.get(4)?,
                from_event: r.get(5)?,
                to_event: r.get(6)?,
                made_at: r.get(7)?,
            })
        })
        .map_err(err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(err)
}

/// The event an article is in, and the canonical of its duplicate group (itself when
/// it is an original).
fn q_article_event(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    id: &str,
) -> Result<Option<(String, String)>> {
    conn.prepare_cached("SELECT event_id, COALESCE(copy_of, id) FROM articles WHERE id = ?1")
        .and_then(|mut st| {
            st.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(err)
}

/// An integer in the `meta` table (0 when absent).
fn q_meta_int(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    key: &str,
) -> Result<i64> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
            r.get(0)
        })
        .optional()
        .map_err(err)?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Ids of the stored events whose time span overlaps `[lo, hi]` (epoch seconds).
fn q_event_ids_between(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    lo: i64,
    hi: i64,
) -> Result<Vec<String>> {
    let e = err;
    let mut stmt = conn
        .prepare_cached("SELECT id FROM events WHERE last_ts >= ?1 AND first_ts <= ?2")
        .map_err(&e)?;
    let rows = stmt.query_map(params![lo, hi], |r| r.get(0)).map_err(&e)?;
    rows.collect::<std::result::Result<_, _>>().map_err(e)
}

/// Ids of the most recently changed undated events (no dated article), newest first.
fn q_undated_event_ids(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    limit: usize,
) -> Result<Vec<String>> {
    let e = err;
    let mut stmt = conn
        .prepare_cached(
            "SELECT id FROM events WHERE last_ts IS NULL ORDER BY updated_at DESC, id LIMIT ?1",
        )
        .map_err(&e)?;
    let rows = stmt
        .query_map(params![limit as i64], |r| r.get(0))
        .map_err(&e)?;
    rows.collect::<std::result::Result<_, _>>().map_err(e)
}

/// An article's lone nouns as the `features.nouns` column holds them: a JSON list, or
/// NULL when there are none (every article in a language that does not capitalise
/// its nouns).
fn nouns_json(nouns: &[String]) -> Option<String> {
    (!nouns.is_empty()).then(|| serde_json::to_string(nouns).unwrap_or_default())
}

/// Adds `delta` to the count of each of `nouns`, dropping counts that reach zero.
/// The caller bumps [`NOUNS_EPOCH`], once per transaction that changes counts.
fn add_nouns(conn: &Connection, nouns: &[String], delta: i64) -> rusqlite::Result<()> {
    let mut up = conn.prepare_cached(
        "INSERT INTO noun_df (noun, df) VALUES (?1, ?2) ON CONFLICT(noun) DO UPDATE SET df = df + ?2",
    )?;
    let mut gone = conn.prepare_cached("DELETE FROM noun_df WHERE noun = ?1 AND df <= 0")?;
    for n in nouns {
        up.execute(params![n, delta])?;
        if delta < 0 {
            gone.execute(params![n])?;
        }
    }
    Ok(())
}

/// Writes the stored articles' three-letter language codes as their ISO 639-1 codes
/// (see [`LANGUAGES_MIGRATION`]); a code with none is left as it is.
fn two_letter_languages(tx: &Transaction) -> rusqlite::Result<()> {
    let codes: Vec<String> = tx
        .prepare("SELECT DISTINCT lang FROM articles WHERE length(lang) = 3")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for code in codes {
        if let Some(two) = storyline_model::iso639_1(&code) {
            tx.execute(
                "UPDATE articles SET lang = ?1 WHERE lang = ?2",
                params![two, code],
            )?;
        }
    }
    Ok(())
}

/// Counts the lone nouns of the articles stored before the store counted them (see
/// [`NOUNS_MIGRATION`]): each German article's are read from its body, as analysis
/// reads them, and written to its features.
fn count_stored_nouns(tx: &Transaction) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(&format!(
        "SELECT a.id, a.body FROM articles a JOIN features f ON f.article_id = a.id WHERE a.lang IN ({})",
        noun_capitalising_sql()
    ))?;
    let mut rows = stmt.query([])?;
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut update = tx.prepare("UPDATE features SET nouns = ?2 WHERE article_id = ?1")?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let body: &str = r.get_ref(1)?.as_str()?;
        let nouns = storyline_analyze::NounEvidence::of(body).lone_nouns();
        update.execute(params![id, nouns_json(&nouns)])?;
        for n in nouns {
            *counts.entry(n).or_default() += 1;
        }
    }
    let mut up = tx.prepare("INSERT INTO noun_df (noun, df) VALUES (?1, ?2)")?;
    for (n, c) in counts {
        up.execute(params![n, c])?;
    }
    bump_meta(tx, NOUNS_EPOCH)
}

/// The languages whose articles' lone nouns the store counts, as an SQL list.
fn noun_capitalising_sql() -> String {
    storyline_analyze::NOUN_CAPITALISING
        .iter()
        .map(|l| format!("'{l}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds one to the integer `key` of the `meta` table (0 when absent).
fn bump_meta(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        params![key],
    )?;
    Ok(())
}

/// The stored document frequencies of `terms` (those found), one primary-key lookup
/// each.
fn q_term_dfs<'t>(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    terms: &[&'t str],
) -> Result<Vec<(&'t str, u64)>> {
    q_counts(conn, err, "SELECT df FROM term_df WHERE term = ?1", terms)
}

/// The counts `sql` (one count by one key, `?1`) finds for `keys`, those it finds.
fn q_counts<'t>(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    sql: &str,
    terms: &[&'t str],
) -> Result<Vec<(&'t str, u64)>> {
    let mut stmt = conn.prepare_cached(sql).map_err(err)?;
    let mut out = Vec::with_capacity(terms.len());
    for &t in terms {
        if let Some(n) = stmt
            .query_row(params![t], |r| r.get::<_, i64>(0))
            .optional()
            .map_err(err)?
        {
            out.push((t, n.max(0) as u64));
        }
    }
    Ok(out)
}

/// Stored event states by id, read as `T` (the full [`EventState`], or the
/// [`EventHead`] links need); unknown ids are skipped.
fn q_event_states<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    err: &dyn Fn(rusqlite::Error) -> StoreError,
    ids: &[String],
) -> Result<Vec<T>> {
    let mut stmt = conn
        .prepare_cached("SELECT state FROM events WHERE id = ?1")
        .map_err(err)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let state: Option<String> = stmt
            .query_row(params![id], |r| r.get(0))
            .optional()
            .map_err(err)?;
        if let Some(ev) = state.and_then(|s| serde_json::from_str::<T>(&s).ok()) {
            out.push(ev);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_reopens_at_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        drop(s);
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.counts().unwrap(), (0, 0));
    }

    #[test]
    fn upgrades_a_version_1_store_keeping_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        for (id, copy_of) in [("a", None), ("b", Some("a"))] {
            c.execute(
                "INSERT INTO articles (id, record_hash, source, body, event_id, ingested_at, copy_of) VALUES (?1, ?1, 'x', 'text', 'e1', 'now', ?2)",
                params![id, copy_of],
            )
            .unwrap();
        }
        drop(c);
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(s.counts().unwrap().0, 2);
        let rel: Option<String> = s
            .conn
            .query_row("SELECT relation FROM articles WHERE id = 'b'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rel.as_deref(), Some("exact"), "v1 copies were exact copies");
    }

    #[test]
    fn a_stored_events_head_gives_the_profile_its_full_state_gives() {
        // Thirty entities, many tied: the profile read without the centroid, from the
        // same JSON, is the full state's.
        let mut entities = std::collections::BTreeMap::new();
        for i in 0..30 {
            let w = [3.0, 1.0, 1.0, 2.5][i % 4];
            entities.insert(
                format!("name {:02}", (i * 7) % 30),
                (format!("Name {i}"), w),
            );
        }
        let state = EventState {
            id: "e1".into(),
            first_ts: Some(5),
            last_ts: Some(9),
            articles: 4,
            centroid: std::collections::BTreeMap::from([("summit".to_string(), 2.0)]),
            entities,
        };
        let json = serde_json::to_string(&state).unwrap();
        let head: EventHead = serde_json::from_str(&json).unwrap();
        let (a, b) = (state.profile(8), head.profile(8));
        assert_eq!(a.top.len(), 16);
        assert_eq!(
            (a.id, a.first_ts, a.last_ts, a.top),
            (b.id, b.first_ts, b.last_ts, b.top)
        );
    }

    #[test]
    fn looks_up_stored_document_frequencies_by_term() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let tx = s.transaction().unwrap();
        let batch = |pairs: &[(&str, u64)]| -> HashMap<String, u64> {
            pairs.iter().map(|(t, n)| (t.to_string(), *n)).collect()
        };
        tx.add_df(&batch(&[("summit", 3), ("kim", 1)]), 3).unwrap();
        tx.add_df(&batch(&[("summit", 2), ("comet", 1)]), 2)
            .unwrap();
        let got = tx.term_dfs(&["comet", "never", "summit", "kim"]).unwrap();
        assert_eq!(got, vec![("comet", 1), ("summit", 5), ("kim", 1)]);
        assert!(tx.term_dfs(&[]).unwrap().is_empty());
        tx.commit().unwrap();
        assert_eq!(s.corpus_docs().unwrap(), 5);
        assert_eq!(s.load_corpus().unwrap().df.len(), 3);
    }

    /// The stored lone-noun counts, by noun.
    fn noun_counts(c: &Connection) -> Vec<(String, i64)> {
        let mut stmt = c
            .prepare("SELECT noun, df FROM noun_df ORDER BY noun")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(|r| r.unwrap()).collect()
    }

    fn counted(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
        pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect()
    }

    /// Stores an article and its features as `rows` SQL would, on any schema version.
    fn put_article(c: &Connection, id: &str, lang: &str, body: &str) {
        c.execute(
            "INSERT INTO articles (id, record_hash, source, body, lang, event_id, ingested_at) VALUES (?1, ?1, 'x', ?2, ?3, 'e1', 'now')",
            params![id, body, lang],
        )
        .unwrap();
        c.execute(
            "INSERT INTO features (article_id, terms, entities) VALUES (?1, '[]', '[]')",
            params![id],
        )
        .unwrap();
    }

    #[test]
    fn upgrading_writes_three_letter_languages_in_two_letters() {
        let dir = tempfile::tempdir().unwrap();
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        for sql in &MIGRATIONS[..LANGUAGES_MIGRATION] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", LANGUAGES_MIGRATION as i64)
            .unwrap();
        put_article(&c, "a", "ben", "একটি খবর");
        put_article(&c, "b", "de", "Ein Bericht.");
        put_article(&c, "c", "xyz", "Unknown.");
        put_article(&c, "d", "kat", "ამბავი");
        drop(c);
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let langs: Vec<(String, String)> = s
            .conn
            .prepare("SELECT id, lang FROM articles ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let want = [("a", "bn"), ("b", "de"), ("c", "xyz"), ("d", "ka")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(langs, want);
    }

    #[test]
    fn upgrading_counts_the_lone_nouns_of_the_german_articles_stored() {
        let dir = tempfile::tempdir().unwrap();
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        for sql in &MIGRATIONS[..NOUNS_MIGRATION] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", NOUNS_MIGRATION as i64)
            .unwrap();
        put_article(&c, "a", "de", "Die Ängste wachsen. Der Bericht kam.");
        put_article(&c, "b", "de", "Ängste plagen sie, sagt der Bericht.");
        put_article(&c, "c", "en", "The Report came. A Report.");
        drop(c);
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(
            noun_counts(&s.conn),
            counted(&[("angste", 1), ("bericht", 2)])
        );
        let nouns: Option<String> = s
            .conn
            .query_row(
                "SELECT nouns FROM features WHERE article_id = 'a'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(nouns.as_deref(), Some(r#"["angste","bericht"]"#));
        // Only German is read so.
        let english: Option<String> = s
            .conn
            .query_row(
                "SELECT nouns FROM features WHERE article_id = 'c'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(english, None);
        assert_eq!(
            s.noun_dfs(&["bericht", "report", "angste"]).unwrap(),
            vec![("bericht", 2), ("angste", 1)]
        );
    }

    #[test]
    fn nouns_are_read_by_prefix_and_length() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        for noun in [
            "getrank",
            "getranke",
            "getrankeautomaten",
            "getreide",
            "geta",
            "stra\u{df}e",
            "stra\u{df}en",
        ] {
            s.conn
                .execute("INSERT INTO noun_df (noun, df) VALUES (?1, 1)", [noun])
                .unwrap();
        }
        // Each prefix's nouns up to the length given, in characters; a noun in two
        // ranges once; keys beyond ASCII compare as written.
        assert_eq!(
            s.nouns_beginning(&[("getrank", 12), ("getr", 9), ("stra\u{df}", 7)])
                .unwrap(),
            [
                "getrank",
                "getranke",
                "getreide",
                "stra\u{df}e",
                "stra\u{df}en"
            ]
        );
        assert!(s.nouns_beginning(&[("xyz", 10)]).unwrap().is_empty());
    }

    #[test]
    fn noun_counts_follow_batches_deletions_and_reanalysis() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        // Rows whose nouns were never read (as by a version that did not read them).
        put_article(&s.conn, "a", "de", "Die Ängste wachsen.");
        put_article(&s.conn, "b", "de", "Der Bericht kam.");
        let tx = s.transaction().unwrap();
        let lone = |_: Option<&str>, text: &str, _: Option<&str>| Features {
            nouns: storyline_analyze::NounEvidence::of(text).lone_nouns(),
            ..Features::default()
        };
        // Re-analysis writes each article's nouns and moves the counts with them.
        assert_eq!(tx.reanalyze(lone).unwrap(), 2);
        assert_eq!(
            noun_counts(&tx.tx),
            counted(&[("angste", 1), ("bericht", 1)])
        );
        assert_eq!(tx.reanalyze(lone).unwrap(), 0);
        assert_eq!(
            noun_counts(&tx.tx),
            counted(&[("angste", 1), ("bericht", 1)])
        );
        // A batch adds how many of its articles write each noun.
        tx.add_noun_counts(&HashMap::from([("angste".to_string(), 2)]))
            .unwrap();
        assert_eq!(
            noun_counts(&tx.tx),
            counted(&[("angste", 3), ("bericht", 1)])
        );
        // A deleted article's nouns are counted down; a count at zero is gone.
        let a = tx.features("a").unwrap().unwrap();
        assert_eq!(a.nouns, ["angste"]);
        tx.delete_article("a", &a).unwrap();
        tx.delete_article("b", &tx.features("b").unwrap().unwrap())
            .unwrap();
        assert_eq!(noun_counts(&tx.tx), counted(&[("angste", 2)]));
    }

    #[test]
    fn a_storys_version_follows_its_links_and_for_german_its_noun_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        put_article(&s.conn, "a", "de", "Der Bericht kam.");
        put_article(&s.conn, "c", "en", "The report came.");
        s.conn
            .execute_batch(
                "UPDATE articles SET event_id = 'e2' WHERE id = 'c';
                 INSERT INTO events (id, headline, articles, state, updated_at) VALUES
                   ('e1', 'Bericht', 1, '{}', 't1'), ('e2', 'Report', 1, '{}', 't1');",
            )
            .unwrap();
        let version = |s: &Store, id: &str| s.story_version(id).unwrap().1;
        let (de, en) = (version(&s, "e1"), version(&s, "e2"));
        let epoch = de
            .nouns_epoch
            .expect("a German story reads the noun counts");
        assert_eq!(en.nouns_epoch, None);
        assert!(de.links.is_empty());

        // New nouns counted anywhere in the store: the German story's entity list may
        // change, the English one's cannot. A batch without nouns changes nothing.
        let tx = s.transaction().unwrap();
        tx.add_noun_counts(&HashMap::from([("bericht".to_string(), 1)]))
            .unwrap();
        tx.add_noun_counts(&HashMap::new()).unwrap();
        tx.commit().unwrap();
        let (de2, en2) = (version(&s, "e1"), version(&s, "e2"));
        assert_eq!(de2.nouns_epoch, Some(epoch + 1));
        assert_eq!(en2, en);

        // A link saved by the later event changes both ends, though neither is saved.
        let tx = s.transaction().unwrap();
        tx.save_link(&Link {
            from: "e1".into(),
            to: "e2".into(),
            shared: vec!["Bericht".into()],
            gap_days: Some(3),
        })
        .unwrap();
        tx.commit().unwrap();
        let (de3, en3) = (version(&s, "e1"), version(&s, "e2"));
        assert_eq!((de3.updated_at.as_str(), de3.articles), ("t1", 1));
        assert_ne!(de3, de2);
        assert_ne!(en3, en2);
        assert_eq!(de3.links[0].headline.as_deref(), Some("Report"));
        // So does the linked story's new headline, shown beside the link.
        s.conn
            .execute(
                "UPDATE events SET headline = 'Report, updated' WHERE id = 'e2'",
                [],
            )
            .unwrap();
        assert_ne!(version(&s, "e1"), de3);
        // And deleting a German article counts its nouns down.
        let tx = s.transaction().unwrap();
        let a = Features {
            nouns: vec!["bericht".into()],
            ..Features::default()
        };
        tx.delete_article("a", &a).unwrap();
        tx.commit().unwrap();
        assert_eq!(version(&s, "e2").nouns_epoch, None);
        let now = q_meta_int(&s.conn, &s.err(), NOUNS_EPOCH).unwrap();
        assert_eq!(now, epoch + 2);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let c = Connection::open(dir.path().join(DB_FILE)).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        match Store::open(dir.path()) {
            Err(StoreError::NewerSchema { found: 99, .. }) => {}
            other => panic!("{:?}", other.map(|_| ())),
        }
    }
}
