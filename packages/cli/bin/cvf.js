#!/usr/bin/env node
// Committed launcher, so npm links the `cvf` bin at install time, before the first build exists.
import '../dist/main.js';
