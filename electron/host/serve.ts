// `butler-desktop serve [repo] [--port N]`: the app in browser mode. Opens the repository given (or the
// last one opened, or none: the welcome screen), starts the loopback host and prints the URL to open.
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { AppService } from '../services/appService.js';
import { defaultSettingsDir } from '../services/settings.js';
import { APP_VERSION } from '../services/version.js';
import { assertRendererBuilt, defaultRendererDir } from './paths.js';
import { startHost } from './server.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  return n;
}

async function serve(repo: string | undefined, opts: { port: number; last: boolean; demo: boolean }): Promise<void> {
  const rendererDir = defaultRendererDir();
  assertRendererBuilt(rendererDir);
  const service = new AppService({ transport: 'browser', settingsDir: defaultSettingsDir() });
  let opened: string | null = null;
  if (repo) {
    opened = (await service.openRepository(repo)).path;
  } else if (opts.last) {
    for (const candidate of service.recent.list()) {
      if (!existsSync(candidate)) continue;
      try {
        opened = (await service.openRepository(candidate)).path;
        break;
      } catch (err) {
        console.error(`butler-desktop: could not reopen ${candidate}: ${(err as Error).message}`);
      }
    }
  }
  const host = await startHost({ service, rendererDir, port: opts.port });
  console.log(`butler-desktop ${APP_VERSION}: browser mode on 127.0.0.1:${host.port}`);
  const buildDemo = !opened && !repo && opts.demo;
  console.log(
    opened ? `repository: ${opened}` : buildDemo ? 'no repository given or remembered: opening the demo repository (built on first use, ~30 s)' : 'no repository open: the page shows the welcome screen (open one there)',
  );
  console.log('Open this URL in a browser (it carries this run\'s access token: keep it private):');
  console.log(`  ${host.url}`);
  console.log(`Over SSH: ssh -L ${host.port}:127.0.0.1:${host.port} <this machine>, then open the same URL on your computer.`);
  if (buildDemo) {
    let lastStage = '';
    const off = service.onEvent((event, payload) => {
      if (event !== 'job.progress') return;
      const stage = (payload as { stage: string }).stage;
      if (!/^simulated \d+\//.test(stage) && stage !== lastStage) console.log(`demo: ${stage}`);
      lastStage = stage;
    });
    service
      .createDemo(null)
      .then((info) => console.log(`repository: ${info.path}`))
      .catch((err: Error) => console.error(`butler-desktop: could not prepare the demo repository: ${err.message}`))
      .finally(off);
  }
  const stop = async () => {
    await host.close();
    await service.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

const program = new Command('butler-desktop')
  .description('LSST Data Butler repository browser')
  .version(APP_VERSION)
  .showHelpAfterError();
program
  .command('serve')
  .description('serve the app on 127.0.0.1 (browser mode) and print the URL to open')
  .argument('[repo]', 'repository directory (or its gen3.sqlite3); default: the last one opened')
  .option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)', parsePort, 0)
  .option('--no-last', 'do not reopen the last repository when none is given')
  .option('--no-demo', 'with no repository, show the welcome screen instead of the demo repository')
  .action(serve);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`butler-desktop: error: ${(err as Error).message}`);
  process.exit(1);
}
