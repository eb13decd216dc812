import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is served from the root of its origin (CloudFront, or the local web server) with the API under /v1.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline script anywhere: the CSP forbids it (script-src 'self').
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
