// The frame app: built to dist/widget/frame.js and frame.css, fixed names, because the frame document
// comes from the API (GET /v1/widget/frame/{workspaceId}) and names them; the hosting sets a short cache.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact()],
  base: '/widget/',
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: false,
    rollupOptions: {
      input: 'src/frame/main.tsx',
      output: { entryFileNames: 'frame.js', assetFileNames: 'frame[extname]', chunkFileNames: 'frame-[name].js' },
    },
  },
});
