/**
 * What the three cards share as tldraw shapes: a box that resizes down to the cards' least size,
 * editing (each card decides what it means), a rounded outline, and the card drawn to the box.
 */
import { MIN_CARD_HEIGHT, MIN_CARD_WIDTH } from '@common-ground/shared/plan'
import type { ComponentType } from 'react'
import {
  BaseBoxShapeUtil,
  HTMLContainer,
  resizeBox,
  type TLBaseBoxShape,
  type TLResizeInfo,
} from 'tldraw'

export abstract class CardShapeUtil<S extends TLBaseBoxShape> extends BaseBoxShapeUtil<S> {
  /** The card itself, drawn inside the shape's box. */
  abstract readonly Card: ComponentType<{ shape: S }>

  override canEdit() {
    return true
  }

  override onResize(shape: S, info: TLResizeInfo<S>) {
    return resizeBox(shape, info, { minWidth: MIN_CARD_WIDTH, minHeight: MIN_CARD_HEIGHT })
  }

  component(shape: S) {
    const { Card } = this
    return (
      <HTMLContainer style={{ width: shape.props.w, height: shape.props.h }}>
        <Card shape={shape} />
      </HTMLContainer>
    )
  }

  getIndicatorPath(shape: S) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}
