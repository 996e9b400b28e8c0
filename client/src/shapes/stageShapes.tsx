/**
 * The template's stage frames and prompts in the viewer's language (issue 15). tldraw's own frame
 * and text shapes, drawing a seeded title or prompt that still holds the template's words (in any
 * language) in this person's language instead (`templateTextFor` in shared). Only what is drawn
 * changes: the board keeps the text as it was seeded or written, so people reading different
 * languages never rewrite it for each other, and a title or prompt someone edited shows as they
 * wrote it. Images exported from the canvas (PNG, SVG) are drawn the same way, in the exporter's
 * language. The viewer's language is tldraw's user locale, which the board page keeps equal to
 * the app's (BoardCanvas), so a change of language redraws them.
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from '@common-ground/shared/i18n'
import { plainTextOf, stageOfTemplateShape, templateTextFor } from '@common-ground/shared/plan'
import type { ReactNode } from 'react'
import {
  createComputedCache,
  type Editor,
  FrameShapeUtil,
  type Geometry2d,
  getDisplayValues,
  renderHtmlFromRichTextForMeasurement,
  type ShapeUtil,
  type SvgExportContext,
  TextShapeUtil,
  type TLFrameShape,
  type TLGeometryOpts,
  type TLShape,
  type TLTextShape,
  toRichText,
} from 'tldraw'

function viewerLocale(editor: Editor): Locale {
  const locale = editor.user.getLocale()
  return isLocale(locale) ? locale : DEFAULT_LOCALE
}

/** One displayed copy per shape record and language, so tldraw's caches keyed by it hold. */
const displayed = new WeakMap<TLShape, Map<Locale, TLShape>>()

function displayedCopy<S extends TLShape>(shape: S, locale: Locale, make: () => S): S {
  let copies = displayed.get(shape)
  if (!copies) {
    copies = new Map()
    displayed.set(shape, copies)
  }
  let copy = copies.get(locale)
  if (!copy) {
    copy = make()
    copies.set(locale, copy)
  }
  return copy as S
}

/** What a stage shape's tldraw util draws, measures, exports and reads out. */
interface DrawsText<S extends TLShape> extends ShapeUtil<S> {
  getGeometry(shape: S, opts?: TLGeometryOpts): Geometry2d
  component(shape: S): ReactNode
  toSvg(shape: S, ctx: SvgExportContext): ReturnType<NonNullable<ShapeUtil<S>['toSvg']>>
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript's rule for a mixin's base class
type DrawsTextClass<S extends TLShape> = abstract new (...args: any[]) => DrawsText<S>

/**
 * tldraw's own util for a stage shape, given the shape as this viewer sees it (`displayed`)
 * wherever its text is drawn, measured, exported or read out.
 */
function inViewerLanguage<S extends TLShape, U extends DrawsTextClass<S>>(Util: U) {
  abstract class InViewerLanguage extends Util {
    /** The shape as this viewer sees it. */
    abstract displayed(shape: S): S

    override getGeometry(shape: S, opts?: TLGeometryOpts) {
      return super.getGeometry(this.displayed(shape), opts)
    }

    override getText(shape: S) {
      return super.getText(this.displayed(shape))
    }

    override getAriaDescriptor(shape: S) {
      return super.getAriaDescriptor(this.displayed(shape))
    }

    override getFontFaces(shape: S) {
      return super.getFontFaces(this.displayed(shape))
    }

    override component(shape: S) {
      return super.component(this.displayed(shape))
    }

    override toSvg(shape: S, ctx: SvgExportContext) {
      return super.toSvg(this.displayed(shape), ctx)
    }
  }
  return InViewerLanguage
}

/** A stage frame: its untouched template title in the viewer's language. */
export class StageFrameShapeUtil extends inViewerLanguage<TLFrameShape, typeof FrameShapeUtil>(
  FrameShapeUtil,
) {
  displayed(shape: TLFrameShape): TLFrameShape {
    const stage = stageOfTemplateShape(shape)
    if (!stage) return shape
    const locale = viewerLocale(this.editor)
    const name = templateTextFor(stage, 'title', shape.props.name, locale)
    if (name === shape.props.name) return shape
    return displayedCopy(shape, locale, () => ({ ...shape, props: { ...shape.props, name } }))
  }
}

/** The size of a stage prompt as displayed (tldraw's own cache measures the stored text). */
const promptSize = createComputedCache(
  'stage prompt size',
  (editor: Editor, shape: TLTextShape) => {
    editor.fonts.trackFontsForShape(shape)
    const util = editor.getShapeUtil(shape) as StagePromptShapeUtil
    const { props } = util.displayed(shape)
    const dv = getDisplayValues(util, shape)
    // As tldraw's text shape measures itself (TextShapeUtil's getTextSize).
    const minWidth = 16
    const fixedWidth = props.autoSize ? null : Math.max(minWidth, Math.floor(props.w))
    const measured = editor.textMeasure.measureHtml(
      renderHtmlFromRichTextForMeasurement(editor, props.richText),
      {
        lineHeight: dv.lineHeight,
        fontWeight: dv.fontWeight,
        fontStyle: dv.fontStyle,
        padding: '0px',
        fontFamily: dv.fontFamily,
        fontSize: dv.fontSize,
        maxWidth: fixedWidth,
      },
    )
    return {
      width: fixedWidth ?? Math.max(minWidth, measured.w + 1),
      height: Math.max(dv.fontSize, measured.h),
    }
  },
  { areRecordsEqual: (a, b) => a.props === b.props },
)

/** A stage prompt: its untouched template text in the viewer's language. */
export class StagePromptShapeUtil extends inViewerLanguage<TLTextShape, typeof TextShapeUtil>(
  TextShapeUtil,
) {
  displayed(shape: TLTextShape): TLTextShape {
    const stage = stageOfTemplateShape(shape)
    if (!stage) return shape
    const stored = plainTextOf(shape.props.richText)
    const locale = viewerLocale(this.editor)
    const text = templateTextFor(stage, 'prompt', stored, locale)
    if (text === stored) return shape
    return displayedCopy(shape, locale, () => ({
      ...shape,
      props: { ...shape.props, richText: toRichText(text) },
    }))
  }

  override getMinDimensions(shape: TLTextShape) {
    if (!stageOfTemplateShape(shape)) return super.getMinDimensions(shape)
    return promptSize.get(this.editor, shape.id) ?? super.getMinDimensions(shape)
  }
}

/**
 * tldraw's frame and text shapes, replaced for the canvas (`<Tldraw shapeUtils>`): same type,
 * props and migrations, so the board's schema is unchanged.
 */
export const stageShapeUtils = [StageFrameShapeUtil, StagePromptShapeUtil] as const
