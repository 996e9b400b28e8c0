/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_TLDRAW_LICENSE_KEY?: string
}
