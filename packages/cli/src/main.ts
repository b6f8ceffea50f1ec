import { createProgram } from './program.js';
import { followLauncher, quietLaunch, wantsQuietLaunch } from './quiet-launch.js';

// Commands that start Dawn run as a child whose stderr is filtered (see quiet-launch.ts).
if (wantsQuietLaunch(process.argv.slice(2), process.env)) process.exitCode = await quietLaunch();
else {
  followLauncher();
  await createProgram().parseAsync(process.argv);
}
