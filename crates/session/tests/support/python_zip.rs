//! Python's `zipfile` as a second, independent ZIP reader for the export tests: shared by the
//! ZIP writer's unit tests (src/export/zipout.rs) and tests/export.rs.
#![allow(clippy::unwrap_used, unreachable_pub)]

/// Python's `zipfile` reads `bytes` and finds every CRC right (skipped without python3).
pub fn python_reads(bytes: &[u8], entries: usize) {
    let path = std::env::temp_dir().join(format!(
        "permafrost-zip-{}-{:?}.zip",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, bytes).unwrap();
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        bad = z.testzip()\n\
        assert bad is None, bad\n\
        print(len(z.infolist()))\n";
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output();
    let tested = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-t"])
        .arg(&path)
        .output();
    std::fs::remove_file(&path).unwrap();
    let (Ok(run), Ok(tested)) = (run, tested) else {
        eprintln!("python3 is missing: not checked with Python's zipfile");
        return;
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        entries.to_string()
    );
    let out = String::from_utf8_lossy(&tested.stdout);
    assert!(
        tested.status.success() && out.contains("Done testing"),
        "{out}"
    );
    assert!(!out.contains("corrupted"), "{out}");
}
