// A token printed by `weft gentoken -u alice` (WEFT_TOKEN) is accepted by the real centrifuge-js client, and
// carries the user: alice may subscribe to her user-limited channel news#alice, which no other user may.
import { connect, done, emit, newClient, newSubscription, step, subscribe } from './lib.mjs';

step('connect with the gentoken token');
const alice = await connect(newClient('alice', process.env.WEFT_TOKEN));
emit('connected', { client: alice.clientId });

step('subscribe to news#alice');
const sub = await subscribe(newSubscription(alice, 'news#alice'));
emit('subscribed', { channel: sub.channel });

alice.disconnect();
done({ scenario: 'gentoken' });
