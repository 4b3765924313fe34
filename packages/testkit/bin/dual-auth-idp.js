#!/usr/bin/env node
// A committed entry point, so package managers can link the bin before the package is built.
import '../dist/bin/dual-auth-idp.js';
