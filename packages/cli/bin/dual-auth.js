#!/usr/bin/env node
// The `dual-auth` command. A committed shim so that package managers can link the bin before the
// TypeScript build exists; the command itself lives in dist/main.js (built from src/main.ts).
import '../dist/main.js';
