import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const server = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8787'}`

export default defineConfig({
  plugins: [react()],
  // The licence key may be given as TLDRAW_LICENSE_KEY too (README.md); Vite only exposes VITE_*.
  define: process.env.TLDRAW_LICENSE_KEY
    ? { 'import.meta.env.VITE_TLDRAW_LICENSE_KEY': JSON.stringify(process.env.TLDRAW_LICENSE_KEY) }
    : {},
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 4000 },
  server: {
    port: 5173,
    // `pnpm dev`: Vite serves the app with hot reload; API and sync go to the real server.
    proxy: {
      '/api': server,
      '/healthz': server,
      '/sync': { target: server.replace('http', 'ws'), ws: true },
    },
  },
})
