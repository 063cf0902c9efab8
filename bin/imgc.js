#!/usr/bin/env node
import { main } from '../dist/cli/imgc.mjs';

process.exitCode = await main(process.argv);
