import { describe, expect, it } from 'vitest'
import { translate } from '../i18n/index.ts'
import { plainTextOf } from './issue.ts'
import { templateShapes } from './seedBoard.ts'
import { RETREAT_TEMPLATE, STAGE_IDS } from './template.ts'
import { isTemplateText, stageOfTemplateShape, templateTextFor } from './templateText.ts'

describe('template text in the viewer’s language', () => {
  it('shows an untouched title or prompt in the viewer’s language, whatever it was seeded in', () => {
    for (const stage of STAGE_IDS) {
      for (const part of ['title', 'prompt'] as const) {
        const english = translate('en', `stage.${stage}.${part}`)
        const spanish = translate('es', `stage.${stage}.${part}`)
        expect(templateTextFor(stage, part, english, 'es')).toBe(spanish)
        expect(templateTextFor(stage, part, spanish, 'en')).toBe(english)
        expect(templateTextFor(stage, part, english, 'en')).toBe(english)
      }
    }
  })

  it('shows a title someone changed as they wrote it', () => {
    expect(templateTextFor('vote', 'title', '4 · Our vote, Friday', 'es')).toBe(
      '4 · Our vote, Friday',
    )
    // Another stage's title is not this stage's template.
    expect(templateTextFor('vote', 'title', translate('en', 'stage.issues.title'), 'es')).toBe(
      translate('en', 'stage.issues.title'),
    )
    expect(isTemplateText('stage.vote.title', `${translate('en', 'stage.vote.title')}!`)).toBe(
      false,
    )
  })

  it('recognizes the seeded frames and prompts, and reads their text', () => {
    const shapes = templateShapes(RETREAT_TEMPLATE, 'en')
    expect(shapes).toHaveLength(RETREAT_TEMPLATE.stages.length * 2)
    for (const shape of shapes) {
      const stage = stageOfTemplateShape(shape)
      expect(stage).not.toBeNull()
      if (shape.type === 'text' && stage) {
        const text = plainTextOf((shape.props as { richText: unknown }).richText)
        expect(isTemplateText(`stage.${stage}.prompt`, text)).toBe(true)
      }
    }
    expect(stageOfTemplateShape({ meta: {} })).toBeNull()
    expect(stageOfTemplateShape({ meta: { cgStage: 'nope' } })).toBeNull()
  })
})
