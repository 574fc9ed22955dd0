// Entry point: check the session first (signed in, or sent to /signin.html and back), and only then load the map, so
// no request of the page is made without a user.
import { session } from './session.js';

await session;
await (await import('./i18n.js')).codesLoaded; // the names of every code, before anything is drawn
await import('./main.js');
