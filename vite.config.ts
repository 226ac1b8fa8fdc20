import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

const serverPort = Number(process.env.PORT ?? 8080);

// The SPA builds to dist/client; in `npm run dev` Vite proxies the API and the socket to the
// Meridian server started beside it.
export default defineConfig({
  plugins: [
    react(),
    // Brotli and gzip copies beside each file, made once here: the server sends the one a
    // browser accepts (@fastify/static preCompressed) and compresses nothing per request.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  ],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // The compression above runs for seconds by design; rolldown would report it as slow.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/healthz': `http://127.0.0.1:${serverPort}`,
      '/socket.io': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
    },
  },
});
