//! The texts of the keys held by one [`Deltas`](super::deltas::Deltas) (months, providers,
//! services, categories: a handful of distinct values in millions of lines), each stored once and
//! named by a code. A grain holds its keys with codes for texts: a fraction of the memory of keys
//! of strings, compared without reading text.

use std::collections::HashMap;

use foldhash::fast::RandomState;

/// Texts and their codes.
#[derive(Debug, Default)]
pub(crate) struct Names {
    names: Vec<String>,
    codes: HashMap<String, u32, RandomState>,
}

impl Names {
    /// The code of `name`, new when it is new.
    pub fn code(&mut self, name: &str) -> u32 {
        if let Some(code) = self.codes.get(name) {
            return *code;
        }
        let code = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.codes.insert(name.to_owned(), code);
        code
    }

    /// The text of `code`, borrowed.
    pub fn text(&self, code: u32) -> &str {
        &self.names[code as usize]
    }

    /// The text of `code`, owned.
    pub fn name(&self, code: u32) -> String {
        self.names[code as usize].clone()
    }

    /// `theirs`' code `code` as a code of these names.
    pub fn recode(&mut self, theirs: &Names, code: u32) -> u32 {
        self.code(theirs.text(code))
    }

    /// How many distinct texts.
    pub fn len(&self) -> usize {
        self.names.len()
    }
}
