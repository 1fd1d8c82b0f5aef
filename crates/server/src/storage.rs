//! Where attachments' bytes live. One trait, so a deployment can put them in an object store;
//! the default is a directory beside the database. Keys are made here (random), never from a
//! file's name, so no caller's input ever becomes a path.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

pub type Io<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

pub trait Storage: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Io<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> Io<'a, Vec<u8>>;
    fn delete<'a>(&'a self, key: &'a str) -> Io<'a, ()>;
}

/// A new storage key: 128 random bits in hex.
pub fn new_key() -> String {
    use rand::Rng;
    let bits: u128 = rand::rng().random();
    format!("{bits:032x}")
}

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
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
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
            let partial = path.with_extension("partial");
            tokio::fs::write(&partial, bytes).await?;
            tokio::fs::rename(&partial, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> Io<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }

    fn delete<'a>(&'a self, key: &'a str) -> Io<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
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
}
