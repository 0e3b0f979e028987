// The contrast of the text of each element (CSS selectors from axe's "incomplete" color-contrast
// results), computed from the styles: the element's colour over the background colours of it and
// its ancestors, composited down to the white canvas. An element over a background image is left
// undetermined (null). Large text (24px, or 18.66px bold) needs 3:1, other text 4.5:1.
(selectors) => {
  const parse = (colour) => {
    const match = colour.match(/rgba?\(([^)]+)\)/)
    if (!match) return null
    const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number)
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1]
  }
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]))
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  return selectors.map((selector) => {
    const element = document.querySelector(selector)
    if (!element) return null
    const layers = []
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node)
      if (style.backgroundImage !== 'none') return null
      const background = parse(style.backgroundColor)
      if (background && background[3] > 0) {
        layers.push(background)
        if (background[3] >= 1) break
      }
    }
    const background = layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255])
    const style = getComputedStyle(element)
    const text = over(parse(style.color), background)
    const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a)
    const size = parseFloat(style.fontSize)
    const large = size >= 24 || (parseInt(style.fontWeight, 10) >= 700 && size >= 18.66)
    return {
      selector,
      ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
      required: large ? 3 : 4.5,
      text: `rgb(${text.map(Math.round)})`,
      background: `rgb(${background.map(Math.round)})`,
    }
  })
}
