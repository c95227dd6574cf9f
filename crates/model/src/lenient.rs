//! Forgiving field types for archive JSON. Any field may hold an unexpected shape (a number where a
//! string was expected, an object where a URI was): these types take whatever is there and keep
//! what makes sense, so one odd field never costs the whole post.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

pub(crate) fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

pub(crate) fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Writes the visitor methods for shapes a type does not want: each yields `$value` (a sequence or
/// map is read through and dropped first).
macro_rules! other_shapes {
    ($value:expr; $($shape:ident),* $(,)?) => { $( other_shapes!(@one $value; $shape); )* };
    (@one $v:expr; bool) => { fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> { Ok($v) } };
    (@one $v:expr; u64) => { fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> { Ok($v) } };
    (@one $v:expr; i64) => { fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> { Ok($v) } };
    (@one $v:expr; f64) => { fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> { Ok($v) } };
    (@one $v:expr; str) => { fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> { Ok($v) } };
    (@one $v:expr; unit) => {
        fn visit_unit<E>(self) -> Result<Self::Value, E> { Ok($v) }
        fn visit_none<E>(self) -> Result<Self::Value, E> { Ok($v) }
    };
    (@one $v:expr; seq) => {
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            $crate::lenient::drain_seq(seq).map(|()| $v)
        }
    };
    (@one $v:expr; map) => {
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            $crate::lenient::drain_map(map).map(|()| $v)
        }
    };
}
pub(crate) use other_shapes;

/// A string if there is one (numbers are written out; anything else is `None`).
#[derive(Debug, Default)]
pub(crate) struct LStr<'a>(pub(crate) Option<Cow<'a, str>>);

impl<'a> LStr<'a> {
    pub(crate) fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
    /// The string, trimmed, `None` when blank.
    pub(crate) fn non_blank(&self) -> Option<&str> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = LStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LStr(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LStr(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(LStr(Some(Cow::Owned(v))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LStr(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LStr(Some(Cow::Owned(v.to_string()))))
            }
            other_shapes!(LStr(None); f64, bool, unit, seq);
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // An embedded object (`{"id": …}` or `{"href": …}`) stands for its URI.
                let mut found = None;
                while let Some(key) = map.next_key::<LStr<'de>>()? {
                    let value = map.next_value::<LStr<'de>>()?;
                    if found.is_none() && matches!(key.as_deref(), Some("id" | "href")) {
                        found = value.0;
                    }
                }
                Ok(LStr(found))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A boolean, also from `"true"`/`"false"`; anything else is `None`.
#[derive(Debug, Default)]
pub(crate) struct LBool(pub(crate) Option<bool>);

impl<'de> Deserialize<'de> for LBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LBool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<LBool, E> {
                Ok(LBool(Some(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<LBool, E> {
                Ok(LBool(match v.trim() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                }))
            }
            fn visit_u64<E>(self, v: u64) -> Result<LBool, E> {
                Ok(LBool(Some(v != 0)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<LBool, E> {
                Ok(LBool(Some(v != 0)))
            }
            other_shapes!(LBool(None); f64, unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// A number, also from a numeric string; anything else is `None`.
#[derive(Debug, Default)]
pub(crate) struct LNum(pub(crate) Option<f64>);

impl LNum {
    pub(crate) fn as_u32(&self) -> Option<u32> {
        self.0
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n.min(f64::from(u32::MAX)) as u32)
    }
}

impl<'de> Deserialize<'de> for LNum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LNum;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_u64<E>(self, v: u64) -> Result<LNum, E> {
                Ok(LNum(Some(v as f64)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<LNum, E> {
                Ok(LNum(Some(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<LNum, E> {
                Ok(LNum(Some(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<LNum, E> {
                Ok(LNum(v.trim().parse().ok()))
            }
            other_shapes!(LNum(None); bool, unit, seq, map);
        }
        d.deserialize_any(V)
    }
}

/// `T` when the value is an object; `None` for any other shape.
#[derive(Debug)]
pub(crate) struct Obj<T>(pub(crate) Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            other_shapes!(Obj(None); seq, str, u64, i64, f64, bool, unit);
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// One value or an array of them (`to` may be a string or a list); `null` is empty.
#[derive(Debug)]
pub(crate) struct Many<T>(pub(crate) Vec<T>);

impl<T> Default for Many<T> {
    fn default() -> Self {
        Many(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Many<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Many<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Many<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    out.push(item);
                }
                Ok(Many(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Many<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Many(vec![t]))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Many<T>, E> {
                T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(|t| Many(vec![t]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Many<T>, E> {
                T::deserialize(de::value::StringDeserializer::new(v.to_owned()))
                    .map(|t| Many(vec![t]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Many<T>, E> {
                T::deserialize(de::value::U64Deserializer::new(v)).map(|t| Many(vec![t]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Many<T>, E> {
                T::deserialize(de::value::I64Deserializer::new(v)).map(|t| Many(vec![t]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Many<T>, E> {
                T::deserialize(de::value::F64Deserializer::new(v)).map(|t| Many(vec![t]))
            }
            other_shapes!(Many(Vec::new()); bool, unit);
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The `totalItems` of an embedded collection (`likes`, `shares`, a poll option's `replies`).
#[derive(Debug, Default)]
pub(crate) struct Count(pub(crate) Option<u32>);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Collection {
            #[serde(rename = "totalItems", default)]
            total_items: LNum,
        }
        let obj = Obj::<Collection>::deserialize(d)?;
        Ok(Count(obj.0.and_then(|c| c.total_items.as_u32())))
    }
}

/// The first entry of a language map (`contentMap`): its key and value, the value as its raw
/// JSON ([`FirstEntry::text`] reads it). In Mastodon's archives the value is `content` again,
/// escaped (`\u003c`, `\"`): unescaped and copied, it cost as much as `content` itself, for a
/// string read only when `content` is missing.
#[derive(Debug, Default)]
pub(crate) struct FirstEntry<'a>(
    pub(crate) Option<(Cow<'a, str>, &'a serde_json::value::RawValue)>,
);

impl<'a> FirstEntry<'a> {
    /// The first entry's value as a string, if it is one.
    pub(crate) fn text(&self) -> Option<Cow<'a, str>> {
        let (_, raw) = self.0.as_ref()?;
        let raw: &'a str = raw.get();
        serde_json::from_str::<LStr<'a>>(raw).ok()?.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for FirstEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = FirstEntry<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut first = None;
                while let Some(key) = map.next_key::<LStr<'de>>()? {
                    let value = map.next_value::<&'de serde_json::value::RawValue>()?;
                    if first.is_none() {
                        first = key.0.map(|k| (k, value));
                    }
                }
                Ok(FirstEntry(first))
            }
            other_shapes!(FirstEntry(None); seq, str, u64, i64, f64, bool, unit);
        }
        d.deserialize_any(V(PhantomData))
    }
}
