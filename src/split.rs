//! Parts of the app left out of the first load: the release build (scripts/build-wasm) moves
//! each `split_point!` into a chunk of wasm fetched the first time it is shown, so an agent
//! who never opens Settings never downloads it. Elsewhere (tests, `trunk serve`) a split point
//! is an ordinary function.

use crate::components::Problem;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The chunk did not arrive (offline, or a deploy replaced it): shown with a retry, and the
/// next attempt fetches it again.
#[derive(Clone, Copy, Debug)]
pub struct ChunkMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// `split_point!(chunk: fn name(args) { view })` declares `async fn name(args) ->
/// Result<AnyView, ChunkMissing>`; split points with the same chunk name share a chunk.
/// Arguments must be concrete types (they cross into the chunk as a C call).
macro_rules! split_point {
    ($chunk:ident: $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::split::ChunkMissing> {
            let view = $body;
            Ok(::leptos::prelude::IntoAny::into_any(view))
        }

        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::split::ChunkMissing> {
            let view = $body;
            Ok(::leptos::prelude::IntoAny::into_any(view))
        }
    };
}
pub(crate) use split_point;

/// A split point's call, boxed: `Loaded`'s code is then made once for every chunk instead of
/// once for each (a copy of it was ~2 KB of the first load).
#[derive(Clone)]
pub struct Load(Arc<dyn Fn() -> Loading + Send + Sync>);

type Loading = Pin<Box<dyn Future<Output = Result<AnyView, ChunkMissing>>>>;

impl<F, Fut> From<F> for Load
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkMissing>> + 'static,
{
    fn from(load: F) -> Load {
        Load(Arc::new(move || Box::pin(load())))
    }
}

/// Shows what a split point builds once its chunk is here (nothing before: a chunk is a few
/// KB from the app's own server), or the failure with a retry.
#[component]
pub fn Loaded(#[prop(into)] load: Load) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        // The split point's future holds the loader's state, which is not Send; the app has
        // one thread.
        let loading = send_wrapper::SendWrapper::new((load.0)());
        Suspend::new(async move {
            match loading.await {
                Ok(view) => view,
                Err(ChunkMissing) => view! {
                    <Problem
                        text=i18n.t().part_not_loaded.to_owned()
                        on_retry=Some(Callback::new(move |()| attempt.update(|n| *n += 1)))
                    />
                }
                .into_any(),
            }
        })
    }
}
