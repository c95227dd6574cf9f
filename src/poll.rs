//! A poll's results as Mastodon shows them.

use permafrost_protocol::Poll;

/// Each option's share in whole percent, rounded to nearest as Mastodon rounds; `None` for an
/// option whose votes the archive does not give. A single-choice poll divides by the votes cast;
/// a multiple-choice poll by the number of people who voted (each may pick several options, so
/// the shares add up to more than 100 %), or by the votes cast when the archive does not say
/// how many people voted.
pub fn shares(poll: &Poll) -> Vec<Option<u32>> {
    shares_with(poll, 0)
}

/// [`shares`] of a poll whose view lists only its first options: `unlisted_votes` were cast for
/// the others (a hostile poll can have 100,000 options; the worker sends the first hundred).
pub fn shares_with(poll: &Poll, unlisted_votes: u64) -> Vec<Option<u32>> {
    let votes: u64 = poll
        .options
        .iter()
        .filter_map(|o| o.votes)
        .map(u64::from)
        .sum::<u64>()
        + unlisted_votes;
    let whole = match poll.voters {
        Some(voters) if poll.multiple && voters > 0 => u64::from(voters),
        _ => votes,
    };
    poll.options
        .iter()
        .map(|o| {
            let part = u64::from(o.votes?);
            // Round half up, in integers: (part * 100 + whole / 2) / whole; no votes, 0 %.
            let share = (part * 100 + whole / 2).checked_div(whole).unwrap_or(0);
            Some(u32::try_from(share).unwrap_or(u32::MAX))
        })
        .collect()
}
