//! permafrost-archive (being written).
