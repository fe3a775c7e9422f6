//! Deserialising a field of a partial update that may be absent (leave it), `null` (clear it)
//! or a value (set it), as `Option<Option<T>>`.

use serde::{Deserialize, Deserializer};

/// Use with `#[serde(default, deserialize_with = "nullable::deserialize")]`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "super::deserialize")]
        domain: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_are_told_apart() {
        let absent: Patch = serde_json::from_str("{}").unwrap();
        let null: Patch = serde_json::from_str(r#"{"domain":null}"#).unwrap();
        let value: Patch = serde_json::from_str(r#"{"domain":"a.example"}"#).unwrap();
        assert_eq!(absent.domain, None);
        assert_eq!(null.domain, Some(None));
        assert_eq!(value.domain, Some(Some("a.example".into())));
    }
}
