import { describe, expect, it } from 'vitest'
import { EDITOR_OPTIONS } from './textEditing.ts'

describe('how a note’s text editor starts', () => {
  it('never moves the caret to the start on its own', () => {
    expect(EDITOR_OPTIONS.text.tipTapConfig.autofocus).toBe(false)
  })

  it('leaves tldraw its text extensions (setting ours would replace them)', () => {
    expect(EDITOR_OPTIONS.text.tipTapConfig).not.toHaveProperty('extensions')
    expect(EDITOR_OPTIONS.text).not.toHaveProperty('addFontsFromNode')
  })
})
