//! `search`: full-text search over the stored articles, with tantivy.
//!
//! The index lives in the store directory (`index/`) and is derived data: SQLite is
//! the system of record. Each commit records the store's mark (newest article sequence
//! number and article count) as its payload. On open, an index whose mark is behind
//! gets the new articles added; one that does not match the store at all (a takedown,
//! a different store, a schema change) is rebuilt from SQLite. A missing index is
//! built.
//!
//! Articles are searched by BM25 over title (boosted), body, outlet and entity names,
//! with phrase queries (`"armored train"`), and filtered by date range, outlet,
//! language and entity. Story-level results group the matching articles by story,
//! best first.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use storyline_store::{IndexMark, IndexRow, Store};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query as TQuery, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The index folder inside the store directory.
pub const INDEX_DIR: &str = "index";
/// Bumped when the schema changes: an index of another version is rebuilt.
const SCHEMA_VERSION: u32 = 2;

/// The analyzer of the text fields: tantivy's `en_stem` (words, lower case, English
/// stems) with accents folded to ASCII in between, so that `Ciaran` finds `Ciarán`,
/// `Sergei Shoigu` finds `Sergéi`, and `Zurich` finds `Zürich`: outlets spell foreign
/// names with and without them.
const TOKENIZER: &str = "storyline_folded";

fn analyzer() -> tantivy::tokenizer::TextAnalyzer {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        TextAnalyzer,
    };
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}
/// Most matching articles looked at to rank stories.
const STORY_POOL: usize = 2000;
const WRITER_HEAP: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index {path}: {source}")]
    Index {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("cannot read the query {query:?}: {reason}")]
    Query { query: String, reason: String },
    #[error(transparent)]
    Store(#[from] storyline_store::StoreError),
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// What a search asks for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Query {
    /// Words, `"phrases"`, `+required`, `-excluded`, `title:word`; empty matches all.
    pub text: String,
    /// Published at or after (seconds since the epoch).
    pub from: Option<i64>,
    /// Published before (seconds since the epoch).
    pub to: Option<i64>,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    /// An entity name (any written form with the same key: `Kim Jong-un`).
    pub entity: Option<String>,
    /// Articles to return (stories are ranked from a larger pool).
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleHit {
    pub id: String,
    pub story: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published_ts: Option<i64>,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryHit {
    pub id: String,
    /// The best matching article's score, plus a little for each further match.
    pub score: f32,
    /// Matching articles of this story (among the ranked pool).
    pub matches: usize,
    /// The best matching article.
    pub best_article: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    pub query: String,
    /// All matching articles.
    pub total: usize,
    pub articles: Vec<ArticleHit>,
    pub stories: Vec<StoryHit>,
}

struct Fields {
    id: Field,
    story: Field,
    title: Field,
    body: Field,
    outlet: Field,
    outlet_key: Field,
    lang: Field,
    entities: Field,
    entity_key: Field,
    published: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        story: b.add_text_field("story", STRING | STORED),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(false)),
        outlet: b.add_text_field("outlet", text(true)),
        outlet_key: b.add_text_field("outlet_key", STRING),
        lang: b.add_text_field("lang", STRING),
        entities: b.add_text_field("entities", text(false)),
        entity_key: b.add_text_field("entity_key", STRING),
        published: b.add_i64_field("published", INDEXED | FAST | STORED),
    };
    (b.build(), fields)
}

/// The store's state an index was built at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Mark {
    schema: u32,
    max_seq: i64,
    count: i64,
    /// The store's regroup epoch: articles changed story since when it differs.
    #[serde(default)]
    regroup_epoch: i64,
}

/// What opening did to bring the index up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sync {
    UpToDate,
    Added(usize),
    Rebuilt(usize),
}

/// An open index. Searches run while a sync adds documents (tantivy readers see the
/// last commit); syncs run one at a time.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    path: PathBuf,
    syncing: std::sync::Mutex<()>,
}

fn key(s: &str) -> String {
    storyline_analyze::entity_key(s)
}

impl SearchIndex {
    /// Opens the index of the store in `store_dir`, creating or updating it from
    /// `store` as needed.
    pub fn open(store_dir: &Path, store: &Store) -> Result<(SearchIndex, Sync)> {
        let path = store_dir.join(INDEX_DIR);
        let err = |source| SearchError::Index {
            path: path.clone(),
            source,
        };
        let (schema, fields) = schema();
        std::fs::create_dir_all(&path).map_err(|e| err(e.into()))?;
        let dir = tantivy::directory::MmapDirectory::open(&path).map_err(|e| err(e.into()))?;
        let index = match Index::open_or_create(dir, schema.clone()) {
            Ok(i) => i,
            // An index of another schema: start again.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                std::fs::remove_dir_all(&path).map_err(|e| err(e.into()))?;
                std::fs::create_dir_all(&path).map_err(|e| err(e.into()))?;
                let dir =
                    tantivy::directory::MmapDirectory::open(&path).map_err(|e| err(e.into()))?;
                Index::create(dir, schema, Default::default()).map_err(err)?
            }
            Err(e) => return Err(err(e)),
        };
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        let me = SearchIndex {
            index,
            reader,
            fields,
            path,
            syncing: std::sync::Mutex::new(()),
        };
        let sync = me.sync(store)?;
        Ok((me, sync))
    }

    fn err(&self) -> impl Fn(tantivy::TantivyError) -> SearchError + '_ {
        |source| SearchError::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// The store mark (newest sequence number, article count) the index holds.
    pub fn store_mark(&self) -> Option<IndexMark> {
        self.mark().map(|m| IndexMark {
            max_seq: m.max_seq,
            count: m.count,
            regroup_epoch: m.regroup_epoch,
        })
    }

    fn mark(&self) -> Option<Mark> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    /// Brings the index up to the store: adds what is new, or rebuilds when the index
    /// does not match (articles deleted, another store, another schema).
    pub fn sync(&self, store: &Store) -> Result<Sync> {
        let _one_at_a_time = self.syncing.lock().unwrap_or_else(|p| p.into_inner());
        self.sync_locked(store)
    }

    fn sync_locked(&self, store: &Store) -> Result<Sync> {
        let IndexMark {
            max_seq,
            count,
            regroup_epoch,
        } = store.index_mark()?;
        let want = Mark {
            regroup_epoch,
            schema: SCHEMA_VERSION,
            max_seq,
            count,
        };
        let have = self.mark();
        if have == Some(want) {
            return Ok(Sync::UpToDate);
        }
        // New articles only, if the index holds exactly the store's older ones.
        let incremental = have.and_then(|h| {
            if h.schema != SCHEMA_VERSION || h.max_seq > max_seq || h.regroup_epoch != regroup_epoch
            {
                return None;
            }
            Some(h)
        });
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer(WRITER_HEAP).map_err(self.err())?;
        let (after, rebuilt) = match incremental {
            Some(h) => (h.max_seq, false),
            None => {
                writer.delete_all_documents().map_err(self.err())?;
                (0, true)
            }
        };
        let mut added = 0usize;
        let mut failure = None;
        let f = &self.fields;
        store.index_rows(after, &mut |row: IndexRow| {
            if failure.is_some() {
                return;
            }
            let mut d = doc!(
                f.id => row.id.as_str(),
                f.story => row.event_id.as_str(),
                f.body => row.body.as_str(),
            );
            if let Some(t) = &row.title {
                d.add_text(f.title, t);
            }
            if let Some(o) = &row.outlet {
                d.add_text(f.outlet, o);
                d.add_text(f.outlet_key, o.to_lowercase());
            }
            if let Some(l) = &row.lang {
                d.add_text(f.lang, l);
            }
            for e in &row.entities {
                d.add_text(f.entities, e);
                d.add_text(f.entity_key, key(e));
            }
            if let Some(ts) = row.published_ts {
                d.add_i64(f.published, ts);
            }
            match writer.add_document(d) {
                Ok(_) => added += 1,
                Err(e) => failure = Some(e),
            }
        })?;
        if let Some(e) = failure {
            return Err(self.err()(e));
        }
        // If the index held fewer articles than the store had up to its mark, some
        // were missing: rebuild once rather than leave holes.
        if !rebuilt {
            let have = incremental.map_or(0, |h| h.count);
            if have + added as i64 != count {
                drop(writer);
                self.write_mark(None)?;
                return self.sync_locked(store).map(|s| match s {
                    Sync::Added(n) | Sync::Rebuilt(n) => Sync::Rebuilt(n),
                    Sync::UpToDate => Sync::UpToDate,
                });
            }
        }
        let mut commit = writer.prepare_commit().map_err(self.err())?;
        commit.set_payload(&serde_json::to_string(&want).expect("a mark serialises"));
        commit.commit().map_err(self.err())?;
        writer.wait_merging_threads().map_err(self.err())?;
        self.reader.reload().map_err(self.err())?;
        Ok(if rebuilt {
            Sync::Rebuilt(added)
        } else {
            Sync::Added(added)
        })
    }

    /// Forgets the mark, so the next sync rebuilds.
    fn write_mark(&self, mark: Option<Mark>) -> Result<()> {
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer(WRITER_HEAP).map_err(self.err())?;
        writer.delete_all_documents().map_err(self.err())?;
        let mut commit = writer.prepare_commit().map_err(self.err())?;
        if let Some(m) = mark {
            commit.set_payload(&serde_json::to_string(&m).expect("a mark serialises"));
        } else {
            commit.set_payload("");
        }
        commit.commit().map_err(self.err())?;
        Ok(())
    }

    /// Searches; an empty text matches every article (filters still apply). `merged`
    /// maps the ids of stories merged into others to the story that holds their
    /// articles now (the index keeps the id an article had when it was indexed).
    pub fn search(&self, q: &Query, merged: &HashMap<String, String>) -> Result<Results> {
        let f = &self.fields;
        let mut parts: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let text = q.text.trim();
        if !text.is_empty() {
            let mut parser =
                QueryParser::for_index(&self.index, vec![f.title, f.body, f.outlet, f.entities]);
            parser.set_field_boost(f.title, 3.0);
            parser.set_field_boost(f.entities, 2.0);
            parser.set_conjunction_by_default();
            // Apostrophes split words in the index too (`Trump's` → `trump`, `s`); to
            // the query parser they would be syntax.
            let text = text.replace(['\'', '’'], " ");
            let parsed = parser.parse_query(&text).map_err(|e| SearchError::Query {
                query: text.to_string(),
                reason: e.to_string(),
            })?;
            parts.push((Occur::Must, parsed));
        } else {
            parts.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        let term = |field: Field, value: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(o) = q.outlet.as_deref().filter(|o| !o.is_empty()) {
            parts.push((Occur::Must, term(f.outlet_key, &o.to_lowercase())));
        }
        if let Some(l) = q.lang.as_deref().filter(|l| !l.is_empty()) {
            parts.push((Occur::Must, term(f.lang, l)));
        }
        if let Some(e) = q.entity.as_deref().filter(|e| !e.is_empty()) {
            parts.push((Occur::Must, term(f.entity_key, &key(e))));
        }
        if q.from.is_some() || q.to.is_some() {
            let lower = q.from.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_i64(f.published, t))
            });
            let upper = q.to.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.published, t))
            });
            parts.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        let query = BooleanQuery::new(parts);
        let searcher = self.reader.searcher();
        let pool = STORY_POOL.max(q.limit);
        let (top, total) = searcher
            .search(&query, &(TopDocs::with_limit(pool).order_by_score(), Count))
            .map_err(self.err())?;
        let mut articles = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(self.err())?;
            let text_of = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            articles.push(ArticleHit {
                id: text_of(f.id).unwrap_or_default(),
                story: text_of(f.story)
                    .map(|id| merged.get(&id).cloned().unwrap_or(id))
                    .unwrap_or_default(),
                title: text_of(f.title),
                outlet: text_of(f.outlet),
                published_ts: d.get_first(f.published).and_then(|v| v.as_i64()),
                score,
            });
        }
        let mut stories: HashMap<&str, StoryHit> = HashMap::new();
        for a in &articles {
            stories
                .entry(a.story.as_str())
                .and_modify(|s| {
                    s.matches += 1;
                })
                .or_insert(StoryHit {
                    id: a.story.clone(),
                    score: a.score,
                    matches: 1,
                    best_article: a.id.clone(),
                });
        }
        let mut stories: Vec<StoryHit> = stories
            .into_values()
            .map(|mut s| {
                s.score += 0.1 * (s.matches as f32).ln();
                s
            })
            .collect();
        stories.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        stories.truncate(q.limit.max(1));
        articles.truncate(q.limit.max(1));
        Ok(Results {
            query: q.text.clone(),
            total,
            articles,
            stories,
        })
    }
}
