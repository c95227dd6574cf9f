//! The query language's mistakes, in English: one template per code (see
//! [`permafrost_model::message`]); locales/*.json translates them under the same keys. Filter
//! names and query syntax stay in English in every language.

permafrost_model::templates! {
    pub MESSAGES;
    DID_YOU_MEAN = "query.did_you_mean" => " (did you mean `{suggestion}`?)";
    UNMATCHED_CLOSE = "query.unmatched_close" => "unmatched `)`";
    OR_NEEDS_TERMS = "query.or_needs_terms" => "`OR` needs a term on each side";
    NOTHING_TO_EXCLUDE = "query.nothing_to_exclude" => "nothing to exclude here";
    TOO_DEEP = "query.too_deep" => "parentheses nested too deeply: this one is ignored";
    MISSING_CLOSE = "query.missing_close" => "missing `)` for this `(`";
    MISSING_QUOTE = "query.missing_quote" => "missing closing `\"`";
    EMPTY_PHRASE = "query.empty_phrase" => "nothing to search for in this phrase: it has no letters or digits";
    EMPTY_WORD = "query.empty_word" => "nothing to search for in `{word}`: words need letters or digits";
    TAG_NEEDS_NAME = "query.tag_needs_name" => "`#` needs a tag name after it";
    MENTION_NEEDS_NAME = "query.mention_needs_name" => "`@` needs an account name after it";
    UNKNOWN_FILTER = "query.unknown_filter" => "unknown filter `{key}:`";
    UNKNOWN_FILTER_LIST = "query.unknown_filter_list" => "unknown filter `{key}:`; the filters are {filters}";
    NEEDS_VALUE_LIST = "query.needs_value_list" => "`{key}:` needs a value: one of {values}";
    NEEDS_VALUE_DATE = "query.needs_value_date" => "`{key}:` needs a value: a date as YYYY, YYYY-MM or YYYY-MM-DD";
    NEEDS_VALUE_LANG = "query.needs_value_lang" => "`{key}:` needs a value: a language code such as en or pt-BR";
    NEEDS_VALUE_DOMAIN = "query.needs_value_domain" => "`{key}:` needs a value: a host name such as example.org";
    NEEDS_VALUE_HOUR = "query.needs_value_hour" => "`{key}:` needs a value: an hour from 0 to 23, or a range such as 9-17";
    NEEDS_VALUE_ACCOUNT = "query.needs_value_account" => "`{key}:` needs a value: an account such as alice@example.org";
    NEEDS_VALUE_OPEN_ACCOUNT = "query.needs_value_open_account" => "`{key}:` needs a value: an open account such as alice@example.social";
    NEEDS_VALUE_ID = "query.needs_value_id" => "`{key}:` needs a value: the end of a post's address, such as 109876543210";
    NEEDS_VALUE_COUNT = "query.needs_value_count" => "`{key}:` needs a value: a number, optionally after >, >=, <, <= or =";
    UNKNOWN_VALUE = "query.unknown_value" => "unknown value `{value}`: one of {values}";
    UNKNOWN_VISIBILITY = "query.unknown_visibility" => "unknown visibility `{value}`: one of {values}";
    BAD_DAY = "query.bad_day" => "invalid day `{value}`: expected MM-DD, such as 12-31";
    DAY_NEEDS_YEAR = "query.day_needs_year" => "`{key}:` needs a year: a day of every year (MM-DD) works with on: only";
    BAD_LANGUAGE = "query.bad_language" => "invalid language `{value}`: a language code such as en or pt-BR";
    BAD_DOMAIN = "query.bad_domain" => "invalid domain `{value}`: a host name such as example.org";
    BAD_HOUR = "query.bad_hour" => "invalid hour `{value}`: an hour from 0 to 23, or a range such as 9-17";
    BAD_OPEN_ACCOUNT = "query.bad_open_account" => "invalid account `{value}`: an open account such as alice@example.social";
    BAD_ACCOUNT = "query.bad_account" => "invalid account `{value}`: an account such as alice@example.org";
    BAD_POST_ID = "query.bad_post_id" => "invalid post id `{value}`: the end of a post's address, such as 109876543210";
    BAD_COUNT = "query.bad_count" => "invalid count `{value}`: a number, optionally after >, >=, <, <= or =";
    BAD_DATE = "query.bad_date" => "invalid date `{value}`: expected YYYY, YYYY-MM or YYYY-MM-DD";
    UNKNOWN_TIME_ZONE = "query.unknown_time_zone" => "unknown time zone `{zone}`: times are shown in UTC";
}
