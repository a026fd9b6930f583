//! `storyline`: the command-line front of the engine. It only wires the stage crates
//! together; each stage lives in its own crate under `crates/`.

/// mimalloc: the pipeline allocates and frees many small maps and strings per article;
/// with glibc's allocator their cost grew as the heap fragmented over a long run
/// (BENCHMARKS.md, clustering on a million articles).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench_cluster;
mod correct;
mod eval;
mod eval_cluster;
mod eval_extract;
mod eval_synth;
mod explain;
mod ingest;
mod search;
mod serve;
mod show;
mod story;
mod takedown;
mod web;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "storyline",
    version,
    about = "News story engine: raw articles in, stories out"
)]
struct Cli {
    /// The store directory (a SQLite database lives inside).
    #[arg(
        long,
        global = true,
        env = "STORYLINE_STORE",
        default_value = "storyline-data"
    )]
    store: PathBuf,
    /// No progress bar and no summary; errors are still printed.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files, folders, globs, WARC, JSON lines, gzip; `-` for stdin) into the store.
    Ingest {
        /// Files, folders (read recursively), glob patterns, or `-` for standard input.
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Print the summary as JSON on standard output.
        #[arg(long)]
        json: bool,
        /// Articles per transaction: an interruption loses at most this many
        /// (they are stored by running the same command again).
        #[arg(long, default_value_t = ingest::DEFAULT_BATCH)]
        batch_size: usize,
        /// Reject single documents larger than this many bytes.
        #[arg(long, default_value_t = storyline_read::DEFAULT_MAX_DOC_BYTES)]
        max_doc_bytes: usize,
    },
    /// List stories, newest first.
    Stories {
        #[arg(long)]
        json: bool,
        /// Show at most this many stories.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Show one story: headline, summary, timeline, entities, coverage, claims,
    /// articles and related stories.
    Story {
        /// The story id (a unique prefix is enough).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search (BM25) over titles, bodies, outlets and entities, with the
    /// stories whose articles match ranked first. Phrases in double quotes; `+word`
    /// requires, `-word` excludes; `title:word` searches one field.
    Search {
        query: String,
        /// Only articles published on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only articles published on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        outlet: Option<String>,
        /// Language code (`en`).
        #[arg(long)]
        lang: Option<String>,
        /// Only articles naming this entity (any spelling with the same key).
        #[arg(long)]
        entity: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP API (`/api/...`, `/openapi.json`, Swagger UI at `/docs`) and the
    /// web pages. Write endpoints need `Authorization: Bearer <token>` when a token is
    /// configured; binding beyond loopback requires one.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// A file holding the bearer token (else the STORYLINE_TOKEN environment variable).
        #[arg(long)]
        token_file: Option<PathBuf>,
    },
    /// Why an article is (or is not) in a story: the candidate stories, each
    /// feature's value and the final score.
    Explain {
        /// The article id.
        article: String,
        /// A story to explain against (default: the article's own).
        story: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List duplicate groups: each original with its copies (exact, near, truncated,
    /// updated) and what each copy changed.
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Take articles down: remove them from the store, their stories and duplicate
    /// groups (the earliest copy becomes the new original).
    Delete {
        /// Article ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Merge two stories into one (a person's correction, kept in the store and
    /// replayed by `recluster`). The first id is kept; the second resolves to it.
    Merge {
        /// The story to keep (a unique prefix is enough).
        story: String,
        /// The story merged into it.
        other: String,
        #[arg(long)]
        json: bool,
    },
    /// Move an article, with its copies, to another story or to a new one (a person's
    /// correction, kept in the store and replayed by `recluster`).
    Move {
        /// The article id.
        article: String,
        /// A story id (a unique prefix is enough), or `new`.
        story: String,
        #[arg(long)]
        json: bool,
    },
    /// Assign every stored article to a story again, in publication order, with this
    /// version's clustering; then replay the corrections (`merge`, `move`).
    Recluster {
        #[arg(long)]
        json: bool,
    },
    /// List the corrections made with `merge` and `move`, oldest first.
    Corrections {
        #[arg(long)]
        json: bool,
    },
    /// Score a stage on labelled data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Benchmarks (figures for BENCHMARKS.md; never asserted in tests).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print what extraction makes of each document, without storing anything.
    Extract {
        #[arg(required = true)]
        inputs: Vec<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Extraction on the bench's real pages: main-text precision/recall/F1
    /// (extraction.jsonl), publication-date accuracy (dates.jsonl), title, site name
    /// and byline (metadata.jsonl), and pages per CPU-second.
    Extract {
        /// The benchmark folder (holding extraction.jsonl, dates.jsonl, metadata.jsonl, pages/, metadata/).
        #[arg(long)]
        bench: PathBuf,
        #[arg(long)]
        json: bool,
        /// Exit non-zero, naming each, if a quality figure is below the extraction
        /// targets: main-text F1 >= 0.935 and precision >= 0.92, date accuracy >= 0.92,
        /// title exact >= 0.95.
        #[arg(long)]
        check: bool,
    },
    /// Event clustering on every labelled `clustering/*.jsonl` under a folder: BCubed,
    /// pairwise P/R/F1 and ARI per file and for all files in one stream, and the
    /// same-story decisions of any `*.pairs.tsv`.
    Cluster {
        /// The benchmark folder (holding `clustering/`), or a folder of JSONL files.
        #[arg(long)]
        bench: PathBuf,
        #[arg(long)]
        json: bool,
        /// Exit non-zero, naming each figure, if a BCubed F1 is below its target
        /// (basil >= 0.96, ecbplus-dev >= 0.95, all files and the seeds in one stream
        /// >= 0.95), or the seeds are not as their EXPECTED.md says.
        #[arg(long)]
        check: bool,
        /// The seeds folder (crawler text with an EXPECTED.md) whose articles join
        /// the one stream and are checked against EXPECTED.md's stories; by default
        /// `seeds` beside the bench folder, when it holds an EXPECTED.md.
        #[arg(long, conflicts_with = "no_seeds")]
        seeds: Option<PathBuf>,
        /// Leave the seeds out of the one stream.
        #[arg(long)]
        no_seeds: bool,
    },
    /// Story synthesis on BASIL's gold events: how often summaries quote more than one
    /// outlet, claims found and grouped across outlets, and claim-grouping precision
    /// on our own labels.
    Synthesize {
        /// The benchmark folder (holding `clustering/basil.jsonl`).
        #[arg(long)]
        bench: PathBuf,
        /// Our labels of claim pairs (`key<TAB>1|0`).
        #[arg(long, default_value = "bench/claim_labels.tsv")]
        labels: PathBuf,
        /// List this many unlabelled claim pairs to label.
        #[arg(long, default_value_t = 0)]
        sample: usize,
        #[arg(long)]
        json: bool,
    },
    /// Copy detection on a labelled syndication set (made by bench/make_syndication.py):
    /// pairwise precision and recall of copy pairs, and BASIL cross-outlet pairs grouped.
    Dedup {
        /// The labelled set: JSON lines with `id`, `group` (and `event` for BASIL rows).
        #[arg(long)]
        set: String,
        /// Copies are looked for among articles up to this many days older.
        #[arg(long, default_value_t = storyline_dedup::DEFAULT_WINDOW_DAYS)]
        window_days: i64,
        /// LSH bands (rows per band = 128 / bands), to measure the trade-off.
        #[arg(long, default_value_t = storyline_dedup::minhash::BANDS)]
        bands: usize,
        /// Containment a candidate pair needs, to measure the trade-off.
        #[arg(long, default_value_t = storyline_dedup::MIN_CONTAINMENT)]
        min_containment: f32,
        #[arg(long)]
        json: bool,
        /// Exit non-zero if precision < 0.99, recall < 0.97, or any BASIL
        /// cross-outlet pair is grouped.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Time the synthesis of one story of N articles (the first N of a labelled set).
    Synthesize {
        /// The benchmark folder (holding `clustering/`).
        #[arg(long)]
        bench: PathBuf,
        /// Which labelled set, under `clustering/`.
        #[arg(long, default_value = "ecbplus-dev.jsonl")]
        set: String,
        #[arg(long, default_value_t = 100)]
        articles: usize,
        #[arg(long, default_value_t = 21)]
        runs: usize,
    },
    /// The clustering stage alone on a generated stream of N articles made from the
    /// bench's labelled sets: articles per CPU-second, events in memory, peak memory.
    Cluster {
        /// The benchmark folder (holding `clustering/`).
        #[arg(long)]
        bench: PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        articles: usize,
        /// Days the stream spreads over.
        #[arg(long, default_value_t = 365)]
        days: i64,
        #[arg(long)]
        json: bool,
    },
    /// MinHash signatures plus LSH query and insert, per CPU-second, over a set's articles.
    Dedup {
        #[arg(long)]
        set: String,
        /// Write the shingles (one JSON array of u64 per line) for a peer to use.
        #[arg(long)]
        shingles_out: Option<String>,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

fn main() -> ExitCode {
    // Output piped into `head` and closed early ends the program quietly, as Unix
    // tools do, instead of a panic on the broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // No transparent huge pages for this process. Every page read allocates and frees
    // a few buffers of 100 KiB to a few MiB; with huge pages the kernel zeroes a fresh
    // 2 MiB page at the first touch of each (8% of `eval extract`'s samples), and
    // extraction ran about 4% faster without them (BENCHMARKS.md). Clustering, whose
    // tables are the largest memory here, measured the same either way.
    #[cfg(target_os = "linux")]
    // SAFETY: a process-wide flag the kernel reads at each page fault; no memory is
    // touched by the call.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("storyline: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let show_progress = !cli.quiet && std::io::stderr().is_terminal();
    match cli.command {
        Command::Ingest {
            inputs,
            json,
            max_doc_bytes,
            batch_size,
        } => {
            let opts = ingest::Options {
                batch: batch_size.max(1),
                progress: show_progress,
                read: storyline_read::ReadOptions { max_doc_bytes },
            };
            let mut store = storyline_store::Store::open(&cli.store)
                .with_context(|| format!("cannot open the store at {}", cli.store.display()))?;
            let summary = ingest::ingest(&mut store, &inputs, &opts)?;
            // The summary goes to stderr whether or not it is a terminal (a log of a
            // scheduled ingest says what it did); `-q` keeps only an interruption.
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else if !cli.quiet {
                eprint!("{}", summary.render());
            } else if summary.interrupted {
                eprintln!("{}", ingest::INTERRUPTED);
            }
            Ok(summary.exit_code())
        }
        Command::Stories { json, limit } => {
            let store = open_existing(&cli.store)?;
            let mut stories = store.stories()?;
            if let Some(n) = limit {
                stories.truncate(n);
            }
            show::print(json, &stories, |s| show::stories_table(s))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Story { id, json } => {
            let store = open_existing(&cli.store)?;
            let view = story::load(&store, &id)?;
            show::print(json, &view, story::render)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            from,
            to,
            outlet,
            lang,
            entity,
            limit,
            json,
        } => {
            let store = open_existing(&cli.store)?;
            let q = storyline_search::Query {
                text: query,
                from: from
                    .as_deref()
                    .map(|d| search::day_bound(d, false))
                    .transpose()?,
                to: to
                    .as_deref()
                    .map(|d| search::day_bound(d, true))
                    .transpose()?,
                outlet,
                lang,
                entity,
                limit,
            };
            let v = search::search(&cli.store, &store, &q)?;
            show::print(json, &v, search::render)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, token_file } => {
            let token = match token_file {
                Some(f) => Some(
                    std::fs::read_to_string(&f)
                        .with_context(|| format!("cannot read the token file {}", f.display()))?
                        .trim()
                        .to_string(),
                ),
                None => std::env::var("STORYLINE_TOKEN").ok(),
            }
            .filter(|t| !t.is_empty());
            serve::serve(serve::Config {
                addr,
                store: cli.store.clone(),
                token,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { inputs, json } => Ok(show::extract(&inputs, json)),
        Command::Explain {
            article,
            story,
            json,
        } => {
            let store = open_existing(&cli.store)?;
            let e = explain::explain(&store, &article, story.as_deref())?;
            show::print(json, &e, explain::render)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Duplicates { json } => {
            let store = open_existing(&cli.store)?;
            let groups = store.duplicate_groups()?;
            show::print(json, &groups, |g| show::duplicates(g))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Delete { ids } => {
            let mut store = open_existing(&cli.store)?;
            for (id, successor) in takedown::delete(&mut store, &ids)? {
                if cli.quiet {
                    continue;
                }
                match successor {
                    Some(s) => println!("deleted {id}; {s} is now the original of its copies"),
                    None => println!("deleted {id}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge { story, other, json } => {
            let mut store = open_existing(&cli.store)?;
            let m = correct::merge(&mut store, &story, &other)?;
            show::report(json, cli.quiet, &m, |m| {
                let n = m.articles_moved;
                format!(
                    "merged story {} into {} ({n} article{} moved); {} now resolves to {}\n",
                    m.merged,
                    m.story,
                    if n == 1 { "" } else { "s" },
                    m.merged,
                    m.story
                )
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Move {
            article,
            story,
            json,
        } => {
            let mut store = open_existing(&cli.store)?;
            let m = correct::move_article(&mut store, &article, &story)?;
            show::report(json, cli.quiet, &m, |m| {
                let what = match m.articles.len() {
                    1 => String::new(),
                    n => format!(" with its copies ({n} articles)"),
                };
                let dest = if m.new_story { "a new story" } else { "story" };
                let mut s = format!(
                    "moved {}{what} from story {} to {dest} {}\n",
                    m.article, m.from, m.to
                );
                if m.from_removed {
                    s.push_str(&format!("story {} had nothing else and is gone\n", m.from));
                }
                s
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Recluster { json } => {
            let mut store = open_existing(&cli.store)?;
            let r = correct::recluster(&mut store)?;
            show::report(json, cli.quiet, &r, |r| {
                format!(
                    "re-clustered {} articles: {} stories (were {}); corrections replayed {}, no longer applying {}; {} articles analysed anew (this version reads their terms or names otherwise)\n",
                    r.articles, r.stories, r.stories_before, r.corrections_applied, r.corrections_moot, r.reanalyzed
                )
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Corrections { json } => {
            let store = open_existing(&cli.store)?;
            let list = store.corrections()?;
            show::print(json, &list, |l| show::corrections(l))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Dedup {
            set,
            shingles_out,
            rounds,
        }) => {
            let s = eval::dedup_speed(&set, shingles_out.as_deref(), rounds.max(1))?;
            println!("{}", serde_json::to_string(&s)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Extract { bench, json, check }) => {
            let report = eval_extract::eval(&bench)?;
            show::print(json, &report, eval_extract::ExtractReport::render)?;
            let below = report.below_targets();
            if check && !below.is_empty() {
                eprintln!("eval extract: below target: {}", below.join("; "));
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Synthesize {
            bench,
            labels,
            sample,
            json,
        }) => {
            show::print(
                json,
                &eval_synth::eval(&bench, &labels, sample)?,
                eval_synth::SynthReport::render,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Synthesize {
            bench,
            set,
            articles,
            runs,
        }) => {
            let b = eval_synth::bench(&bench.join("clustering").join(set), articles, runs)?;
            println!("{}", serde_json::to_string(&b)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Cluster {
            bench,
            articles,
            days,
            json,
        }) => {
            let b = bench_cluster::bench(&bench, articles, days)?;
            show::print(json, &b, bench_cluster::ClusterBench::render)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Cluster {
            bench,
            json,
            check,
            seeds,
            no_seeds,
        }) => {
            let seeds = match (seeds, no_seeds) {
                (_, true) => None,
                (Some(dir), _) => Some(dir),
                (None, false) => eval_cluster::default_seeds(&bench),
            };
            let report = eval_cluster::eval(&bench, seeds.as_deref())?;
            show::print(json, &report, eval_cluster::ClusterReport::render)?;
            let below = report.below_targets();
            if check && !below.is_empty() {
                eprintln!("eval cluster: below target: {}", below.join("; "));
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Dedup {
            set,
            window_days,
            bands,
            min_containment,
            json,
            check,
        }) => {
            let params = eval::DedupParams {
                window_days,
                bands,
                min_containment,
            };
            let score = eval::dedup(&set, &params)?;
            show::print(json, &score, eval::DedupScore::render)?;
            if check && !score.meets_targets() {
                eprintln!("eval dedup: below target (precision >= 0.99, recall >= 0.97, no BASIL cross-outlet pair)");
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Read commands never create a store: a typo in `--store` should say so.
fn open_existing(dir: &std::path::Path) -> anyhow::Result<storyline_store::Store> {
    if !dir.join(storyline_store::DB_FILE).exists() {
        anyhow::bail!(
            "no store at {} (run `storyline ingest` first, or point --store / STORYLINE_STORE at one)",
            dir.display()
        );
    }
    Ok(storyline_store::Store::open(dir)?)
}
