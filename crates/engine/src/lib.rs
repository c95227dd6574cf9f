//! permafrost-engine (being written).
