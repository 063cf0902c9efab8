/**
 * The fleet's commands are declared without loading BullMQ and ioredis (decision 0131): their
 * flags and help come from src/cli/fleet-commands.ts, and running one loads src/cli/fleet.ts.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('fleet commands, loaded when run', () => {
  it('shows the flags of worker, submit and jobs without running them', async () => {
    const worker = await runCli(['worker', '--help']);
    expect(worker.stdout).toContain('--queue <name>');
    expect(worker.stdout).toContain('--redis <url>');
    const submit = await runCli(['submit', '--help']);
    expect(submit.stdout).toContain('--capability <name>');
    const jobs = await runCli(['jobs', '--help']);
    for (const sub of ['list', 'show', 'cancel', 'retry']) expect(jobs.stdout).toContain(sub);
  });

  it.each([
    [['jobs', 'list']],
    [['jobs', 'show', 'img-1']],
    [['jobs', 'cancel', 'img-1']],
    [['jobs', 'retry', 'img-1']],
    [['worker', '--store', '/nonexistent-store']],
  ])('imgc %j with a Redis URL that is not redis:// reaches the fleet code and says so', async (args) => {
    const r = await runCli([...args, '--redis', 'http://localhost:6379']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('IMGC8100');
  });
});
