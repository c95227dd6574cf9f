//! permafrost-protocol (being written).
