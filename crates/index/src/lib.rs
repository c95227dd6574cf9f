//! permafrost-index (being written).
