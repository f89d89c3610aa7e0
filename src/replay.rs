//! `dbsalvage patch`: the SQL patch rebuilt from a (reviewed, edited) JSON file.

use crate::cli::PatchArgs;
use crate::error::{Error, Result};

/// Runs `patch`; returns the summary line.
///
/// # Errors
/// A JSON file that cannot be rebuilt faithfully.
pub fn run(_args: &PatchArgs) -> Result<String> {
    Err(Error::Usage("dbsalvage patch is not available yet".into()))
}
