<?php
function set_price($p) {
    assert(is_numeric($p) && $p >= 0, 'price must be a non-negative number');
    return round($p, 2);
}
echo set_price((float) ($_POST['price'] ?? 0));
