/**
 * An agreement (model.ts) as an editable Word document, laid out with the `docx` package: a cover
 * (the agreement's title, the board's title, the draft's date and what is left to do), then each
 * section under a real "Heading 1" (subsections "Heading 2") numbered by Word itself (1., 4.2.),
 * so Word's navigation pane and LibreOffice's navigator show the outline and a section added by
 * counsel renumbers the rest. Tables have a repeated header row; placeholders are highlighted;
 * the footer counts pages ("Page 3 / 9") with Word's PAGE and NUMPAGES fields. No DOM, no Node
 * API: the server and the browser render the same file.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import { translate } from '../i18n/index.ts'
import {
  type AgreementBlock,
  type AgreementDocument,
  type AgreementSection,
  type AgreementText,
  isPlaceholder,
  placeholderText,
} from './model.ts'

/** The `Content-Type` of a `.docx` file. */
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const SECTIONS = 'agreement-sections'
const BULLETS = 'agreement-bullets'
const FONT = 'Calibri'

interface RunStyle {
  bold?: boolean
  size?: number
}

/**
 * The runs of one piece of text: line breaks typed on the board stay line breaks; a placeholder
 * reads "[To fill in: …]", highlighted so nobody misses it.
 */
function runs(document: AgreementDocument, text: AgreementText, style: RunStyle = {}): TextRun[] {
  if (isPlaceholder(text)) {
    return [
      new TextRun({
        text: placeholderText(document.locale, text),
        highlight: 'yellow',
        italics: true,
        ...style,
      }),
    ]
  }
  return text
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...style }))
}

/** A4 with Word's default margins of 2.54 cm, in twips; tables span the text's width. */
const PAGE_WIDTH = 11906
const MARGIN = 1440
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

function cell(
  document: AgreementDocument,
  text: AgreementText,
  width: number,
  header = false,
): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    // No space after the cell's paragraph: it would leave every row a blank line taller.
    children: [
      new Paragraph({
        spacing: { after: 0 },
        children: runs(document, text, header ? { bold: true } : {}),
      }),
    ],
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(header ? { shading: { fill: 'E7E6E6' } } : {}),
  })
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' }

function table(
  document: AgreementDocument,
  head: string[],
  rows: AgreementText[][],
  shares?: number[],
): Table {
  // Fixed column widths (both the grid and each cell: Word reads one, LibreOffice the other), so
  // a narrow "#" column leaves the room to the step, and words are not broken mid-way.
  const total = shares?.reduce((sum, share) => sum + share, 0) ?? head.length
  const widths = head.map((_, i) =>
    Math.floor((TEXT_WIDTH * (shares?.[i] ?? 1)) / (total > 0 ? total : 1)),
  )
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: head.map((text, i) => cell(document, text, widths[i] as number, true)),
      }),
      ...rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: row.map((text, i) => cell(document, text, widths[i] as number)),
          }),
      ),
    ],
  })
}

function block(document: AgreementDocument, item: AgreementBlock): (Paragraph | Table)[] {
  const t = (key: Parameters<typeof translate>[1]) => translate(document.locale, key)
  switch (item.type) {
    case 'paragraph':
      return [new Paragraph({ children: item.parts.flatMap((part) => runs(document, part)) })]
    case 'field':
      return [
        new Paragraph({
          children: [
            new TextRun({ text: `${item.label}: `, bold: true }),
            ...runs(document, item.value),
          ],
        }),
      ]
    case 'list':
      return item.items.map(
        (text) =>
          new Paragraph({
            numbering: { reference: BULLETS, level: 0 },
            children: runs(document, text),
          }),
      )
    case 'table':
      // A table straight after another would merge with it in Word: an empty paragraph between.
      return [table(document, item.head, item.rows, item.widths), new Paragraph({})]
    case 'signatures':
      return item.blocks.flatMap((sign) => {
        const line = (label: string, value: AgreementText | null, last = false) =>
          new Paragraph({
            keepNext: !last,
            keepLines: true,
            spacing: { before: 120 },
            children: [
              new TextRun({ text: `${label}: `, bold: true }),
              ...(value === null ? [new TextRun({ text: '_'.repeat(36) })] : runs(document, value)),
            ],
          })
        return [
          new Paragraph({
            keepNext: true,
            spacing: { before: 360 },
            children: [new TextRun({ text: sign.party, bold: true, size: 24 })],
          }),
          line(t('agreement.signature.sign'), null),
          line(t('agreement.signature.name'), sign.name),
          line(t('agreement.signature.title'), sign.title),
          line(t('agreement.signature.date'), null, true),
        ]
      })
  }
}

function section(
  document: AgreementDocument,
  part: AgreementSection,
  level: 0 | 1,
): (Paragraph | Table)[] {
  return [
    new Paragraph({
      heading: level === 0 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
      numbering: { reference: SECTIONS, level },
      keepNext: true,
      children: [new TextRun(part.heading)],
    }),
    ...part.blocks.flatMap((item) => block(document, item)),
    ...part.subsections.flatMap((sub) => section(document, sub, 1)),
  ]
}

function cover(document: AgreementDocument): Paragraph[] {
  return [
    new Paragraph({ spacing: { before: 2400 }, children: [] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(document.title)] }),
    ...(document.boardTitle.trim()
      ? [
          new Paragraph({
            spacing: { after: 240 },
            children: [
              new TextRun({
                text: translate(document.locale, 'agreement.fromBoard', {
                  title: document.boardTitle.trim(),
                }),
                size: 28,
              }),
            ],
          }),
        ]
      : []),
    new Paragraph({
      spacing: { after: 480 },
      children: [
        new TextRun({
          text: translate(document.locale, 'agreement.draftOf', { date: document.dateText }),
          size: 28,
        }),
      ],
    }),
    new Paragraph({ children: [new TextRun({ text: document.note, italics: true })] }),
    new Paragraph({ children: [new PageBreak()] }),
  ]
}

/** The Word document of an agreement (see `agreementToDocx` for its bytes). */
export function agreementDocx(document: AgreementDocument): Document {
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            children: [
              `${translate(document.locale, 'agreement.page')} `,
              PageNumber.CURRENT,
              ' / ',
              PageNumber.TOTAL_PAGES,
            ],
            size: 18,
          }),
        ],
      }),
    ],
  })
  return new Document({
    title: `${document.title}: ${document.boardTitle}`,
    description: document.note,
    creator: 'Common Ground',
    styles: {
      default: {
        document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 120 } } },
        heading1: {
          run: { font: FONT, size: 30, bold: true, color: '1F3864' },
          paragraph: { spacing: { before: 360, after: 120 }, outlineLevel: 0, keepNext: true },
        },
        heading2: {
          run: { font: FONT, size: 25, bold: true, color: '2F5496' },
          paragraph: { spacing: { before: 240, after: 120 }, outlineLevel: 1, keepNext: true },
        },
        title: { run: { font: FONT, size: 52, bold: true, color: '1F3864' } },
      },
    },
    numbering: {
      config: [
        {
          reference: SECTIONS,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              // Room for "10." before the heading's text (a narrower indent pushes it a tab on).
              style: { paragraph: { indent: { left: 567, hanging: 567 } } },
            },
            {
              level: 1,
              format: LevelFormat.DECIMAL,
              text: '%1.%2.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 794, hanging: 794 } } },
            },
          ],
        },
        {
          reference: BULLETS,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        // The cover has no page number; the first page of the text is page 2 of the file.
        properties: {
          titlePage: true,
          page: {
            size: { width: PAGE_WIDTH, height: 16838 },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        footers: { default: footer, first: new Footer({ children: [] }) },
        children: [
          ...cover(document),
          ...document.sections.flatMap((part) => section(document, part, 0)),
        ],
      },
    ],
  })
}

/** The `.docx` file of an agreement. */
export async function agreementToDocx(
  document: AgreementDocument,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await Packer.toArrayBuffer(agreementDocx(document)))
}
