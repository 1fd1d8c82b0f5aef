//! The app's build step after cargo, run by trunk's post-build hook (`scripts/build-wasm`),
//! because trunk cannot split a wasm (trunk#1022):
//!
//! 1. split: the parts marked `split_point!` in the app leave the main module for chunks that
//!    the app fetches when first used (`wasm_split_cli_support`, what `cargo leptos --split`
//!    does; the raw wasm must be linked with `--emit-relocs`);
//! 2. bind: wasm-bindgen on the main module;
//! 3. optimise: `wasm-opt -Oz` on every module;
//! 4. name every file by its content (immutable caching) with an `integrity` on each fetch;
//! 5. name the main module in the page trunk wrote, in the place of its skipped rust link.
//!
//! Usage: switchboard-app-build <raw.wasm> <trunk staging dir> [--split] [--optimise]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256, Sha384};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The JS glue and main wasm are `switchboard-<hash>.js` and `switchboard-<hash>_bg.wasm`.
const NAME: &str = "switchboard";
/// The module that loads chunks, as the splitter and the glue name it.
const LINK: &str = "__wasm_split.js";
/// wasm-opt versions before binaryen 116 write tables Chromium refuses (TOOLCHAIN.md).
const WASM_OPT_VERSION: &str = "version 132";
const WASM_BINDGEN_VERSION: &str = "0.2.130";

type Result<T> = std::result::Result<T, String>;

struct Args {
    raw: PathBuf,
    staging: PathBuf,
    split: bool,
    optimise: bool,
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| build(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard-app-build: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args> {
    let mut paths = vec![];
    let (mut split, mut optimise) = (false, false);
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--split" => split = true,
            "--optimise" => optimise = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    let [raw, staging] = <[PathBuf; 2]>::try_from(paths).map_err(|_| {
        "usage: switchboard-app-build <raw.wasm> <staging dir> [--split] [--optimise]".to_string()
    })?;
    Ok(Args {
        raw,
        staging,
        split,
        optimise,
    })
}

fn build(args: &Args) -> Result<()> {
    let work = args.staging.join(".app-build");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    let (main_input, chunks) = if args.split {
        split(&args.raw, &work)?
    } else {
        (args.raw.clone(), vec![])
    };
    bind(&main_input, &work, args.split)?;
    let main_wasm = work.join(format!("{NAME}_bg.wasm"));
    if args.optimise {
        for module in std::iter::once(&main_wasm).chain(&chunks) {
            optimise(module)?;
        }
    }
    let tags = publish(&work, &main_wasm, &chunks, &args.staging)?;
    name_in_page(&args.staging.join("index.html"), &tags)?;
    fs::remove_dir_all(&work).map_err(|e| format!("cannot remove {}: {e}", work.display()))
}

/// The main module (still to bind) and the chunks, written into `work` with the link module.
fn split(raw: &Path, work: &Path) -> Result<(PathBuf, Vec<PathBuf>)> {
    let input = read(raw)?;
    let main_out = work.join("main.wasm");
    let main_module = format!("./{NAME}.js");
    let link_name = format!("./{LINK}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = work;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let result = wasm_split_cli_support::transform(options).map_err(|e| {
        format!(
            "splitting {} failed (was it linked with --emit-relocs?): {e}",
            raw.display()
        )
    })?;
    Ok((main_out, result.split_modules))
}

fn bind(input: &Path, work: &Path, split: bool) -> Result<()> {
    let mut command = Command::new(tool("WASM_BINDGEN", "wasm-bindgen", WASM_BINDGEN_VERSION)?);
    command
        .arg("--target=web")
        .arg(format!("--out-name={NAME}"))
        .arg(format!("--out-dir={}", work.display()))
        .arg("--no-typescript");
    if split {
        // The chunks call into the main module by the linker's export names.
        command.arg("--keep-lld-exports").arg("--no-demangle");
    }
    run(command.arg(input))
}

fn optimise(module: &Path) -> Result<()> {
    let mut command = Command::new(tool("WASM_OPT", "wasm-opt", WASM_OPT_VERSION)?);
    run(command.arg("-Oz").arg(module).arg("-o").arg(module))
}

/// Copies the built files into the staging dir under names that change with their content, and
/// returns the tags that load the app.
fn publish(work: &Path, main_wasm: &Path, chunks: &[PathBuf], staging: &Path) -> Result<String> {
    let write = |name: &str, data: &[u8]| {
        fs::write(staging.join(name), data).map_err(|e| format!("cannot write {name}: {e}"))
    };

    // The link module fetches each chunk by its new name, checked by its hash.
    let link_path = work.join(LINK);
    let mut link_js = if chunks.is_empty() {
        None
    } else {
        Some(read_text(&link_path)?)
    };
    for chunk in chunks {
        let data = read(chunk)?;
        let stem = chunk.file_stem().unwrap_or_default().to_string_lossy();
        let name = format!("{stem}-{}.wasm", short_hash(&data));
        let fetch = format!("fetch(new URL(\"./{stem}.wasm\", import.meta.url))");
        let checked = format!(
            "fetch(new URL(\"./{name}\", import.meta.url), {{ integrity: \"{}\" }})",
            sri(&data)
        );
        let js = link_js.as_mut().ok_or("chunks without a link module")?;
        if !js.contains(&fetch) {
            return Err(format!("{LINK} does not fetch {stem}.wasm as expected"));
        }
        *js = js.replace(&fetch, &checked);
        write(&name, &data)?;
    }

    let main_data = read(main_wasm)?;
    let main_name = format!("{NAME}-{}_bg.wasm", short_hash(&main_data));
    write(&main_name, &main_data)?;

    // The glue and the link module import each other, so one hash over both names both.
    let mut glue = read_text(&work.join(format!("{NAME}.js")))?;
    let id = short_hash(
        format!(
            "{glue}\0{}\0{main_name}",
            link_js.as_deref().unwrap_or_default()
        )
        .as_bytes(),
    );
    let glue_name = format!("{NAME}-{id}.js");
    let mut tags = String::new();
    if let Some(mut js) = link_js {
        let link_file = format!("__wasm_split-{id}.js");
        let quoted = format!("\"./{LINK}\"");
        if !glue.contains(&quoted) {
            return Err(format!("{NAME}.js does not import {LINK}"));
        }
        // Only the ES imports move: the wasm's own import module keeps the name it was linked with.
        glue = glue
            .lines()
            .map(|line| match line.starts_with("import ") {
                true => line.replace(&quoted, &format!("\"./{link_file}\"")),
                false => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        js = js.replace(&format!("\"./{NAME}.js\""), &format!("\"./{glue_name}\""));
        write(&link_file, js.as_bytes())?;
        tags += &module_preload(&link_file, js.as_bytes());
    }
    write(&glue_name, glue.as_bytes())?;
    if work.join("snippets").exists() {
        return Err("wasm-bindgen wrote snippets, which this step does not publish".into());
    }

    Ok(format!(
        "{}{tags}<link rel=\"preload\" href=\"/{main_name}\" crossorigin=\"anonymous\" integrity=\"{}\" \
         as=\"fetch\" type=\"application/wasm\">\
         <script type=\"module\">import init from '/{glue_name}';init({{ module_or_path: '/{main_name}' }});</script>",
        module_preload(&glue_name, glue.as_bytes()),
        sri(&main_data),
    ))
}

fn module_preload(name: &str, data: &[u8]) -> String {
    format!(
        "<link rel=\"modulepreload\" href=\"/{name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
        sri(data)
    )
}

/// Puts the tags where the page had its rust link (which trunk leaves when told to skip it).
fn name_in_page(page: &Path, tags: &str) -> Result<()> {
    let html = read_text(page)?;
    let link = html
        .match_indices("<link")
        .map(|(start, _)| start)
        .find(|&start| {
            let tag = &html[start
                ..html[start..]
                    .find('>')
                    .map_or(html.len(), |end| start + end)];
            tag.contains("data-trunk-skip")
        });
    let html = match link {
        Some(start) => {
            let end = start + html[start..].find('>').ok_or("unclosed rust link")? + 1;
            format!("{}{tags}{}", &html[..start], &html[end..])
        }
        None => {
            let head = html.find("</head>").ok_or("the page has no </head>")?;
            format!("{}{tags}{}", &html[..head], &html[head..])
        }
    };
    fs::write(page, html).map_err(|e| format!("cannot write {}: {e}", page.display()))
}

/// The tool named by `env` or found on PATH, if it reports the version the build needs.
fn tool(env: &str, default: &str, version: &str) -> Result<String> {
    let program = std::env::var(env).unwrap_or_else(|_| default.to_string());
    let output = Command::new(&program)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {program} ({e}); scripts/toolchain.sh installs it"))?;
    let reported = String::from_utf8_lossy(&output.stdout);
    if !reported.contains(version) {
        return Err(format!(
            "{program} reports {:?}, the build needs {version} (scripts/toolchain.sh)",
            reported.trim()
        ));
    }
    Ok(program)
}

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("{command:?} failed ({status})")),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Subresource integrity: what the browser checks a fetched file against.
fn sri(data: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(Sha384::digest(data)))
}

/// 16 hex digits, the form the server recognises as a hashed name (cached as immutable).
fn short_hash(data: &[u8]) -> String {
    Sha256::digest(data)[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
