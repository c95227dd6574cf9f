//! permafrost-synth (being written).
