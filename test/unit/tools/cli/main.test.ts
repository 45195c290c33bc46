import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../../tools/cli/main';

/** What `livehooks <argv>` printed to stderr and its exit status. */
async function cli(...argv: string[]): Promise<{ status: number; errors: string[] }> {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const status = await main(argv);
    return { status, errors: error.mock.calls.map((call) => call.join(' ')) };
  } finally {
    error.mockRestore();
  }
}

// Usage mistakes are named with their fix, exit status 2, before anything is sent: a port
// nothing listens on would otherwise be reported as a missing npm start.
describe('usage mistakes: one line naming the mistake and the fix, exit status 2', () => {
  it('a LiveKit key without its API key (`<API key>:<API secret>`), never echoing it', async () => {
    for (const command of ['send', 'sign']) {
      const { status, errors } = await cli(command, 'livekit', 'events/livekit/start.json', '--key', 'topsecret');
      expect({ status, errors }).toEqual({
        status: 2,
        errors: ['livehooks: --key: a LiveKit key is <API key>:<API secret>, as in --key APIsample:<API secret>'],
      });
    }
  });

  it.each(['127.0.0.1:1/livekit', 'localhost:1/livekit', 'ftp://127.0.0.1:1/livekit'])(
    'a URL without http:// (%s)',
    async (url) => {
      expect(await cli('send', 'livekit', url)).toEqual({
        status: 2,
        errors: [`livehooks: "${url}" is not an http(s) URL: write it whole, as in http://127.0.0.1:3000/livekit`],
      });
    },
  );

  it('an unknown option, with the options there are (not the parser’s `-- "--lve"`)', async () => {
    const { status, errors } = await cli('streams', '--lve');
    expect(status).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^livehooks: unknown option --lve: the options are --live, .*\(`livehooks --help`\)$/);
    expect(errors[0]).not.toContain('"--lve"');
  });

  it('an option without its value, or a value for a switch', async () => {
    expect(await cli('send', 'srs', '--token')).toEqual({
      status: 2,
      errors: ['livehooks: --token needs a value, as in --token VALUE (`livehooks --help`)'],
    });
    expect(await cli('streams', '--live=yes')).toEqual({
      status: 2,
      errors: ['livehooks: --live takes no value: write --live alone (`livehooks --help`)'],
    });
  });
});
