// The loader: one framework-free script, widget.js, that the host page includes.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'src/loader/widget.ts', formats: ['iife'], name: 'GoChatWidget', fileName: () => 'widget.js' },
  },
});
