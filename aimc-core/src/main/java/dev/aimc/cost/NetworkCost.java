package dev.aimc.cost;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The cost of a network per inference: one row per analog layer and the totals.
 *
 * @param components the name of the component table used
 * @param adcScaling how ADC energy and area followed resolution
 * @param tileRows rows per tile
 * @param tileCols columns per tile
 * @param layers the per-layer costs, in network order
 */
public record NetworkCost(String components, AdcScaling adcScaling, int tileRows, int tileCols,
        List<LayerCost> layers) {

    /**
     * Copies the rows.
     *
     * @param components the name of the component table used
     * @param adcScaling how ADC energy and area followed resolution
     * @param tileRows rows per tile
     * @param tileCols columns per tile
     * @param layers the per-layer costs, in network order
     */
    public NetworkCost {
        layers = List.copyOf(layers);
    }

    private double sum(ToDoubleFunction<LayerCost> f) {
        return layers.stream().mapToDouble(f).sum();
    }

    /**
     * Tiles used by all layers.
     *
     * @return Σ R·C
     */
    public long tiles() {
        return layers.stream().mapToLong(LayerCost::tiles).sum();
    }

    /**
     * Cells holding all layers.
     *
     * @return Σ cells
     */
    public long cells() {
        return layers.stream().mapToLong(LayerCost::cells).sum();
    }

    /**
     * Weight cells used over weight cells provided, over all tiles.
     *
     * @return the tile-weighted occupancy, in (0, 1]
     */
    public double occupancy() {
        double t = tiles();
        return t == 0 ? 0 : sum(l -> l.occupancy() * l.tiles()) / t;
    }

    /**
     * ADC conversions per inference.
     *
     * @return Σ over layers
     */
    public double adcConversions() {
        return sum(LayerCost::adcConversions);
    }

    /**
     * DAC conversions per inference.
     *
     * @return Σ over layers
     */
    public double dacConversions() {
        return sum(LayerCost::dacConversions);
    }

    /**
     * ADC energy per inference.
     *
     * @return pJ
     */
    public double adcEnergyPj() {
        return sum(LayerCost::adcEnergyPj);
    }

    /**
     * Energy per inference.
     *
     * @return pJ
     */
    public double energyPj() {
        return sum(LayerCost::energyPj);
    }

    /**
     * Area of all tiles.
     *
     * @return µm²
     */
    public double areaUm2() {
        return sum(LayerCost::areaUm2);
    }

    /**
     * Area of the crossbar arrays.
     *
     * @return µm²
     */
    public double arrayAreaUm2() {
        return sum(LayerCost::arrayAreaUm2);
    }

    /**
     * Latency of one inference (layers one after the other).
     *
     * @return ns
     */
    public double latencyNs() {
        return sum(LayerCost::latencyNs);
    }

    /**
     * The per-layer table and totals as fixed-width text.
     *
     * @return lines ending in a newline
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "components: %s; ADC scaling %s; tiles %d x %d%n", components,
                adcScaling.name().toLowerCase(Locale.ROOT), tileRows, tileCols));
        String head = "%-20s %9s %5s %5s %6s %6s %10s %11s %11s %10s %10s %9s %9s%n";
        sb.append(String.format(Locale.ROOT, head, "layer", "in x out", "MVMs", "ADC b", "tiles", "occ.%",
                "cells", "DAC conv", "ADC conv", "E ADC nJ", "E nJ", "area mm2", "lat. us"));
        String row = "%-20s %9s %5d %5d %6d %6.1f %10d %11.4g %11.4g %10.4g %10.4g %9.4g %9.4g%n";
        for (LayerCost l : layers) {
            sb.append(String.format(Locale.ROOT, row, l.name(), l.inFeatures() + "x" + l.outFeatures(),
                    l.mvmsPerInference(), l.design().adcBits(), l.tiles(), 100 * l.occupancy(), l.cells(),
                    l.dacConversions(), l.adcConversions(), l.adcEnergyPj() / 1e3, l.energyPj() / 1e3,
                    l.areaUm2() / 1e6, l.latencyNs() / 1e3));
        }
        String total = "%-20s %9s %5s %5s %6d %6.1f %10d %11.4g %11.4g %10.4g %10.4g %9.4g %9.4g%n";
        sb.append(String.format(Locale.ROOT, total, "total", "", "", "", tiles(), 100 * occupancy(), cells(),
                dacConversions(), adcConversions(), adcEnergyPj() / 1e3, energyPj() / 1e3, areaUm2() / 1e6,
                latencyNs() / 1e3));
        sb.append(String.format(Locale.ROOT, "energy by component (nJ): cells %.4g, ADC %.4g, DAC %.4g, S+H %.4g, "
                + "shift-add %.4g, subtractor %.4g, digital %.4g, buffers, registers, bus, router, tile logic %.4g%n",
                sum(LayerCost::cellEnergyPj) / 1e3, adcEnergyPj() / 1e3, sum(LayerCost::dacEnergyPj) / 1e3,
                sum(LayerCost::sampleHoldEnergyPj) / 1e3, sum(LayerCost::shiftAddEnergyPj) / 1e3,
                sum(LayerCost::subtractorEnergyPj) / 1e3, sum(LayerCost::digitalEnergyPj) / 1e3,
                sum(LayerCost::dataMovementEnergyPj) / 1e3));
        sb.append(String.format(Locale.ROOT, "area (mm2): arrays %.4g, periphery %.4g%n", arrayAreaUm2() / 1e6,
                (areaUm2() - arrayAreaUm2()) / 1e6));
        return sb.toString();
    }
}
