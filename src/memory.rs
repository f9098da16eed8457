//! Memory given back to the system: `serve` holds the site for hours, and a
//! rebuild that made every page again (a template edit) leaves the
//! allocator holding the freed pages of the last build until it purges
//! them. After each rebuild, once idle, `serve` asks it to purge now.

/// Returns the memory the allocator holds but does not use to the system.
pub(crate) fn give_back() {
    // SAFETY: mi_collect only walks the allocator's own free lists; it
    // takes no pointer and is safe to call from any thread at any time
    // (it does nothing to memory another allocator owns).
    unsafe { libmimalloc_sys::mi_collect(true) }
}
