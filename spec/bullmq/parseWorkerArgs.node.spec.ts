import { parseWorkerArgs } from '../../src/bullmq/parseWorkerArgs.js';

describe('rx-asyncio-worker command line (parseWorkerArgs)', () => {
  it('reads the queue, Redis URL, modules (paths resolved from cwd) and numbers', () => {
    const options = parseWorkerArgs(
      [
        '--queue',
        'q',
        '--redis',
        'rediss://u:p%40ss@redis.internal:6380/2',
        '--module',
        'work=dist/work.js',
        '--module',
        'more=file:///srv/more.js',
        '--concurrency',
        '3',
        '--lock-duration',
        '5000',
      ],
      '/app',
      {},
    );
    expect(options).toEqual({
      connection: {
        host: 'redis.internal',
        port: 6380,
        username: 'u',
        password: 'p@ss',
        db: 2,
        tls: {},
      },
      queueName: 'q',
      modules: { work: 'file:///app/dist/work.js', more: 'file:///srv/more.js' },
      concurrency: 3,
      lockDuration: 5000,
    });
  });

  it('takes the password from REDIS_PASSWORD, and the URL from REDIS_URL', () => {
    const options = parseWorkerArgs(['--queue', 'q', '--module', 'w=file:///w.js'], '/', {
      REDIS_URL: 'redis://10.0.0.5',
      REDIS_PASSWORD: 'secret',
    });
    expect(options.connection).toEqual({ host: '10.0.0.5', port: 6379, password: 'secret' });
  });

  it('says what is wrong with a bad command line', () => {
    expect(() => parseWorkerArgs(['--module', 'w=file:///w.js'], '/', {})).toThrowError(
      /--queue is required/,
    );
    expect(() => parseWorkerArgs(['--queue', 'q'], '/', {})).toThrowError(/at least one --module/);
    expect(() => parseWorkerArgs(['--queue', 'q', '--module', 'nameless'], '/', {})).toThrowError(
      /--module expects NAME=PATH_OR_URL/,
    );
    expect(() => parseWorkerArgs(['--queue'], '/', {})).toThrowError(/--queue needs a value/);
    expect(() => parseWorkerArgs(['--queue', 'q', '--bogus', '1'], '/', {})).toThrowError(
      /unknown option --bogus/,
    );
    expect(() =>
      parseWorkerArgs(['--queue', 'q', '--module', 'w=x.js', '--redis', 'http://x'], '/', {}),
    ).toThrowError(/redis:\/\/ or rediss:\/\//);
    expect(() =>
      parseWorkerArgs(['--queue', 'q', '--module', 'w=x.js', '--concurrency', '1.5'], '/', {}),
    ).toThrowError(/whole number/);
  });
});
