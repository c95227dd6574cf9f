//! permafrost-model (being written).
