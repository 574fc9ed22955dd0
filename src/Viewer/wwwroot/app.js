// Entry point: check the session first (signed in, or sent to /signin.html and back), and only then load the map, so
// no request of the page is made without a user.
import { session } from './session.js';

await session;
await import('./main.js');
