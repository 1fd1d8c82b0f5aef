//! Where attachments' bytes live. One trait, so a deployment can put them in an object store;
//! the default is a directory beside the database. Keys are made here (random), never from a
//! file's name, so no caller's input ever becomes a path.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::SystemTime;

pub type Io<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

pub trait Storage: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Io<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> Io<'a, Vec<u8>>;
    fn delete<'a>(&'a self, key: &'a str) -> Io<'a, ()>;
    /// Every key held, with when it was written: what the sweep checks against the records.
    /// Half-written leftovers of a crash are listed too, under keys that are not valid, and
    /// `delete` takes them.
    fn keys(&self) -> Io<'_, Vec<(String, SystemTime)>>;
}

/// A new storage key: 128 random bits in hex.
pub fn new_key() -> String {
    use rand::Rng;
    let bits: u128 = rand::rng().random();
    format!("{bits:032x}")
}

const PARTIAL: &str = ".partial";

/// Files in a local directory, one per key.
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<LocalDir> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalDir { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        // A crash can leave `<key>.partial` behind; the sweep deletes it by that name.
        let hex = key.strip_suffix(PARTIAL).unwrap_or(key);
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a storage key",
            ));
        }
        Ok(self.root.join(key))
    }
}

impl Storage for LocalDir {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Io<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            // Written aside and renamed, so a crash never leaves half a file under the key.
            let partial = path.with_extension(&PARTIAL[1..]);
            tokio::fs::write(&partial, bytes).await?;
            tokio::fs::rename(&partial, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> Io<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }

    fn delete<'a>(&'a self, key: &'a str) -> Io<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            // A write cut short leaves its half beside the key: it goes too.
            for path in [path.with_extension(&PARTIAL[1..]), path] {
                match tokio::fs::remove_file(path).await {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            Ok(())
        })
    }

    fn keys(&self) -> Io<'_, Vec<(String, SystemTime)>> {
        Box::pin(async move {
            let mut entries = tokio::fs::read_dir(&self.root).await?;
            let mut keys = Vec::new();
            while let Some(entry) = entries.next_entry().await? {
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                if self.path(&name).is_err() {
                    continue; // not ours
                }
                let written = entry.metadata().await?.modified()?;
                keys.push((name, written));
            }
            Ok(keys)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_come_back_by_key_and_a_path_cannot_be_smuggled_in() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalDir::new(dir.path()).unwrap();
        let key = new_key();
        storage.put(&key, b"hola").await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap(), b"hola");
        storage.delete(&key).await.unwrap();
        assert!(storage.get(&key).await.is_err());
        assert!(storage.get("../switchboard.sqlite3").await.is_err());
        assert!(storage.put("a/b", b"x").await.is_err());
    }

    #[tokio::test]
    async fn keys_lists_what_is_held_and_half_written_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalDir::new(dir.path()).unwrap();
        let key = new_key();
        storage.put(&key, b"hola").await.unwrap();
        let leftover = format!("{}.partial", new_key());
        std::fs::write(dir.path().join(&leftover), b"ho").unwrap();
        std::fs::write(dir.path().join("README"), b"not a key").unwrap();
        let mut names: Vec<String> = storage
            .keys()
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        names.sort();
        let mut expected = vec![key, leftover.clone()];
        expected.sort();
        assert_eq!(names, expected);
        storage.delete(&leftover).await.unwrap();
        assert_eq!(storage.keys().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn deleting_a_key_takes_a_half_written_copy_along() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalDir::new(dir.path()).unwrap();
        let key = new_key();
        std::fs::write(dir.path().join(format!("{key}.partial")), b"half").unwrap();
        storage.delete(&key).await.unwrap();
        assert!(storage.keys().await.unwrap().is_empty());
    }
}
