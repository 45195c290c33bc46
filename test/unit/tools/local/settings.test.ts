import { describe, expect, it } from 'vitest';
import { startArguments, UsageError } from '../../../../tools/local/settings';

describe('startArguments: npm start’s command line', () => {
  it('sets the ports and the data folder over their variables', () => {
    expect(
      startArguments(['--port', '4000', '--store-port=0', '--queue-port', '9400', '--data-dir', '/tmp/x']),
    ).toEqual({ PORT: '4000', LIVEHOOKS_STORE_PORT: '0', LIVEHOOKS_QUEUE_PORT: '9400', LIVEHOOKS_DATA_DIR: '/tmp/x' });
    expect(startArguments([])).toEqual({});
  });

  it.each([
    [['--prot', '4000'], 'unknown option --prot: npm start takes --port, --store-port, --queue-port, --data-dir'],
    [['--port'], '--port needs a value: run npm start -- --port 4000'],
    [['--port', 'http'], '--port must be a port number (0 picks a free one), got "http"'],
    // `npm start --port 4000`: npm takes the option and passes the bare value.
    [['4000'], 'unexpected "4000": npm keeps the options before `--` for itself; run npm start -- --port 4000'],
  ])('refuses %j in one line with the fix', (args, message) => {
    expect(() => startArguments(args)).toThrow(new UsageError(message));
  });

  it('refuses an option npm kept for itself (given before `--`), which would otherwise be ignored', () => {
    expect(() => startArguments([], { npm_config_port: '4000' })).toThrow(
      new UsageError('npm kept --port for itself (it came before `--`): run npm start -- --port 4000'),
    );
    expect(() => startArguments(['4000'], { npm_config_port: 'true' })).toThrow(
      'npm kept --port for itself (it came before `--`): run npm start -- --port 4000',
    );
  });
});
