//! The look of every terminal table wfm prints.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

/// A table with wfm's border style and this header.
pub fn new_table<S: ToString>(header: impl IntoIterator<Item = S>) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(
        header
            .into_iter()
            .map(|h| h.to_string())
            .collect::<Vec<String>>(),
    );
    table
}

/// A right-aligned cell, for numbers.
pub fn right(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}
