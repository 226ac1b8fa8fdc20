// A bare MQTT subscriber in its own process (forked by bench/ingest-mqtt.ts): subscribes to the
// same topics with the same QoS and session as Meridian, and only counts what it receives. Its
// rate is what the broker can deliver to one client that does no work.
import mqtt from 'mqtt';

export type CounterCommand = { cmd: 'count' } | { cmd: 'exit' };
export interface CounterReply {
  messages: number;
  bytes: number;
}

const [url, prefix, qosText, clientId] = process.argv.slice(2);
if (!url || !prefix || !clientId || !process.send) {
  throw new Error('usage: fork mqtt-counter.ts <url> <prefix> <qos> <client id>');
}
const qos = qosText === '0' ? 0 : 1;
let messages = 0;
let bytes = 0;

// As Meridian's MqttSource subscribes: MQTT 5, persistent session, the same four filters.
const client = await mqtt.connectAsync(url, {
  clientId,
  protocolVersion: 5,
  clean: false,
  properties: { sessionExpiryInterval: 300 },
  reconnectPeriod: 1000,
  keepalive: 30,
});
client.on('message', (_topic, payload) => {
  messages++;
  bytes += payload.byteLength;
});
for (const kind of ['meta', 'status', 'telemetry']) {
  await client.subscribeAsync(`${prefix}/devices/+/${kind}`, { qos });
}
await client.subscribeAsync(`${prefix}/gateways/+/batch`, { qos });
process.send({ ready: true });

process.on('message', (m: CounterCommand) => {
  if (m.cmd === 'count') process.send!({ messages, bytes } satisfies CounterReply);
  else {
    void client.endAsync(true).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
